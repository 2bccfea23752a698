// What the TikHub Chat Model cases must show in real n8n: a Basic LLM Chain's answer, and an AI
// Agent that calls TikHub Image Generate as a tool with a prompt the model wrote, then answers
// with the image; both read from n8n's execution report and the requests the stand-in saw.
import type { RecordedRequest } from '../../harness/server';
import { checkExecution, nodeOutput, type ExecutionReport } from './checks';

interface ChatMessage {
	role?: string;
	content?: unknown;
	tool_calls?: Array<{ function?: { name?: string; arguments?: string } }>;
}

interface ChatBody {
	model?: string;
	stream?: boolean;
	messages?: ChatMessage[];
	tools?: Array<{ function?: { name?: string } }>;
}

const chatCompletions = (requests: RecordedRequest[]) =>
	requests.filter((r) => r.method === 'POST' && r.path === '/v1/chat/completions');

const text = (content: unknown) => (typeof content === 'string' ? content : JSON.stringify(content ?? ''));

/** Every request carried the credential's key as a bearer token, and the key shows nowhere in n8n's output. */
export function checkKeyUse(requests: RecordedRequest[], apiKey: string, output: string): string[] {
	const problems: string[] = [];
	for (const call of requests.filter((r) => r.path.startsWith('/v1/'))) {
		if (call.authorization !== `Bearer ${apiKey}`) problems.push(`${call.method} ${call.path}: authorization header was "${call.authorization ?? ''}"`);
	}
	if (output.includes(apiKey)) problems.push("the API key appears in n8n's output (execution data or log)");
	return problems;
}

/** The chain answered in json.text from one chat completion of the model with the options set. */
export function checkChainAnswer(report: ExecutionReport, requests: RecordedRequest[], model: string, stream: boolean): string[] {
	const problems = checkExecution(report);
	const answer = nodeOutput(report, 'Basic LLM Chain')?.[0]?.json?.text;
	if (typeof answer !== 'string' || answer.trim() === '') problems.push(`Basic LLM Chain gave no json.text: ${JSON.stringify(answer)}`);
	const calls = chatCompletions(requests);
	if (calls.length !== 1) return [...problems, `the stand-in saw ${calls.length} POST /v1/chat/completions, expected 1`];
	const body = calls[0].json as ChatBody & { temperature?: number; max_tokens?: number };
	if (body.model !== model) problems.push(`chat completion for model ${body.model}, expected ${model}`);
	if (body.temperature !== 0.4 || body.max_tokens !== 200) {
		problems.push(`the node's options were not sent: temperature ${body.temperature}, max_tokens ${body.max_tokens}`);
	}
	if (Boolean(body.stream) !== stream) problems.push(`stream was ${body.stream}, expected ${stream}`);
	const asked = text(body.messages?.at(-1)?.content);
	if (typeof answer === 'string' && !answer.includes('olive oil') && !asked.includes('olive oil')) {
		problems.push(`the answer does not come from the prompt: ${answer}`);
	}
	return problems;
}

/**
 * The agent turn: (1) a chat completion offering the image tool, answered with a tool call;
 * (2) one image generation whose prompt the model wrote (not the user's words as typed);
 * (3) a chat completion carrying the tool's result, whose answer is the agent's output and
 * names the generated image. `stream`: whether the chat completions were streamed.
 */
export function checkAgentTurn(
	report: ExecutionReport | undefined,
	requests: RecordedRequest[],
	userText: string,
	stream: boolean,
	finalOutput?: string,
): string[] {
	const problems = report ? checkExecution(report) : [];
	const calls = chatCompletions(requests);
	const generations = requests.filter((r) => r.method === 'POST' && r.path === '/v1/images/generations');
	if (calls.length !== 2) problems.push(`the stand-in saw ${calls.length} chat completions, expected 2 (tool call, then answer)`);
	if (generations.length !== 1) problems.push(`the stand-in saw ${generations.length} image generations, expected 1`);
	if (problems.length) return problems;

	const [first, second] = calls.map((c) => c.json as ChatBody);
	const toolNames = (first.tools ?? []).map((t) => t.function?.name ?? '');
	if (!toolNames.some((name) => /TikHub_Image_Generate/i.test(name))) problems.push(`the first chat completion offered the tools [${toolNames.join(', ')}]`);
	if (first.messages?.some((m) => m.role === 'tool')) problems.push('the first chat completion already had a tool result');
	for (const [index, body] of [first, second].entries()) {
		if (Boolean(body.stream) !== stream) problems.push(`chat completion ${index + 1}: stream was ${body.stream}, expected ${stream}`);
	}

	const prompt = String((generations[0].json as { prompt?: unknown } | undefined)?.prompt ?? '');
	const format = (generations[0].json as { response_format?: unknown } | undefined)?.response_format;
	if (!prompt.includes('teapot')) problems.push(`the image prompt is not about the user's request: "${prompt}"`);
	if (prompt.trim() === userText.trim()) problems.push('the image prompt is the user text as typed, not one the model wrote');
	if (format !== 'url') problems.push(`the tool asked for response_format ${String(format)}, expected url`);

	const toolMessage = second.messages?.find((m) => m.role === 'tool');
	const assistantCall = second.messages?.find((m) => m.role === 'assistant' && m.tool_calls?.length);
	const calledArgs = assistantCall?.tool_calls?.[0]?.function?.arguments ?? '';
	if (!calledArgs.includes('teapot')) problems.push(`the second chat completion does not repeat the tool call: ${calledArgs}`);
	// The tool's result as the model got it: the image's link (Response Format URL) and its file name.
	const result = text(toolMessage?.content);
	const url = /https?:\/\/[^\s"\\]+\/files\/[^\s"\\]+/.exec(result)?.[0];
	const fileName = /generated-[\w.-]+\.(?:png|jpe?g|webp)/.exec(result)?.[0];
	if (!url) problems.push(`the tool result sent back to the model has no image link: ${result.slice(0, 300)}`);
	if (!fileName) problems.push(`the tool result sent back to the model has no file name: ${result.slice(0, 300)}`);

	const output = finalOutput ?? (report ? String(nodeOutput(report, 'AI Agent')?.[0]?.json?.output ?? '') : '');
	const named = [url, fileName].filter((s): s is string => Boolean(s));
	if (!named.some((s) => output.includes(s))) problems.push(`the agent's answer names neither ${named.join(' nor ')}: "${output}"`);
	return problems;
}
