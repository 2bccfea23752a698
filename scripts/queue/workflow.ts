// The workflow the queue-mode proof activates: a production Webhook trigger that takes an
// image as the request body (POST, Content-Type image/png) and hands it to each TikHub step.
// The webhook answers at once (responseMode onReceived), so the requests run side by side on
// the workers; the steps' output images stay in the execution data (binary in the database).
// Query parameters: size=WIDTHxHEIGHT (the output size asked for), n=<request number>.
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

export const WORKFLOW_ID = 'tikhubQueueModeProof';
export const WEBHOOK_NODE = 'Webhook';
export const WEBHOOK_PATH = 'tikhub-queue-proof';
export const CREDENTIAL = { id: 'tikhub-queue', name: 'TikHub account' };

/** One TikHub node fed by the webhook's item; the checks find an image of `size` in its output. */
export interface ImageStep {
	node: string;
	type: string;
	/** Its file in the package's `n8n.nodes`: the step is used only when the package ships the node. */
	nodeFile: string;
	/** The TikHub API path it calls (what the local server must see once per execution). */
	apiPath: string;
	parameters: Record<string, unknown>;
}

const SIZE = '={{ $json.query.size }}';
const PROMPT = '=Queue-mode proof, request {{ $json.query.n }}: put the product on a beach';

export const STEPS: ImageStep[] = [
	{
		node: 'TikHub Image Edit',
		type: 'n8n-nodes-tikhub.tikHubImageEdit',
		nodeFile: 'TikHubImageEdit.node.js',
		apiPath: '/v1/images/edits',
		parameters: {
			model: 'gpt-image-2',
			prompt: PROMPT,
			binaryPropertyName: 'data',
			options: { size: SIZE, quality: 'low', outputFormat: 'png' },
		},
	},
	// ---- TikHub Image Generate: joins the workflow by itself once the packed package lists
	// it in n8n.nodes (another branch is building it; the local server must then answer
	// POST /v1/images/generations). Check these parameter names against the node when it lands.
	{
		node: 'TikHub Image Generate',
		type: 'n8n-nodes-tikhub.tikHubImageGenerate',
		nodeFile: 'TikHubImageGenerate.node.js',
		apiPath: '/v1/images/generations',
		parameters: {
			model: 'gpt-image-2',
			prompt: PROMPT,
			options: { size: SIZE, quality: 'low', outputFormat: 'png' },
		},
	},
];

/** The steps whose node the installed package ships (its package.json's n8n.nodes). */
export function availableSteps(packageDir: string): ImageStep[] {
	const manifest = JSON.parse(readFileSync(join(packageDir, 'package.json'), 'utf8')) as { n8n?: { nodes?: string[] } };
	const files = manifest.n8n?.nodes ?? [];
	return STEPS.filter((step) => files.some((file) => file.endsWith(`/${step.nodeFile}`)));
}

export function buildWorkflow(steps: ImageStep[]) {
	const webhook = {
		id: randomUUID(),
		name: WEBHOOK_NODE,
		type: 'n8n-nodes-base.webhook',
		typeVersion: 2.1,
		position: [0, 0],
		webhookId: randomUUID(),
		// A body n8n does not parse (image/png) becomes the item's binary "data".
		parameters: { httpMethod: 'POST', path: WEBHOOK_PATH, responseMode: 'onReceived', options: {} },
	};
	const nodes = steps.map((step, i) => ({
		id: randomUUID(),
		name: step.node,
		type: step.type,
		typeVersion: 1,
		position: [260, i * 200],
		parameters: step.parameters,
		credentials: { tikHubApi: CREDENTIAL },
	}));
	return {
		id: WORKFLOW_ID,
		name: 'TikHub queue-mode proof',
		active: false,
		nodes: [webhook, ...nodes],
		connections: {
			[WEBHOOK_NODE]: { main: [steps.map((step) => ({ node: step.node, type: 'main', index: 0 }))] },
		},
		settings: { executionOrder: 'v1', saveDataSuccessExecution: 'all', saveDataErrorExecution: 'all' },
		pinData: {},
	};
}

export function buildCredentials(tikhub: { baseUrl: string; apiKey: string }) {
	return [{ ...CREDENTIAL, type: 'tikHubApi', data: { apiKey: tikhub.apiKey, baseUrl: tikhub.baseUrl } }];
}
