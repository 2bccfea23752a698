// The workflows `npm run test:n8n` runs inside the real n8n app, and what each must show.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

import type { RecordedRequest } from '../../harness/server';
import {
	checkEditRequest,
	checkExecution,
	checkFileWritten,
	checkGenerateRequest,
	checkNodeBinary,
	checkSoraRequests,
	checkVeoRequests,
	checkVideoRequests,
	nodeOutput,
	type ExecutionReport,
} from './checks';
import { png } from '../../harness/fixtures';
import { REPO } from './package';

export interface CaseRun {
	report: ExecutionReport;
	/** Where this workflow wrote its files. */
	outDir: string;
	/** The requests the local TikHub server received during this run. */
	requests: RecordedRequest[];
	apiKey: string;
}

export interface E2eCase {
	/** An example's name (examples/<name>.workflow.json) or a workflow file's path. */
	example: string;
	/** The n8n lines (majors) it runs on; every binary data mode of the line runs `everyMode` cases. */
	majors: string[];
	everyMode?: boolean;
	/** Files the workflow reads, put under the workspace's /files/. */
	files?: () => Record<string, Buffer>;
	/** Problems found; an empty list means the case passed. */
	check(run: CaseRun): string[];
}

const sample = () => readFileSync(join(REPO, 'examples', 'sample.png'));

/** A TikHub Video workflow on n8n 2.x: it ran, output an MP4 and wrote it, and sent what `checkRequests` expects. */
function videoCase(example: string, checkRequests: (requests: RecordedRequest[], apiKey: string) => string[], files?: E2eCase['files']): E2eCase {
	return {
		example,
		majors: ['2'],
		files,
		check: ({ report, outDir, requests, apiKey }) => [
			...checkExecution(report),
			...checkNodeBinary(report, 'TikHub Video', 'video/mp4'),
			...checkFileWritten(outDir, Buffer.from('ftyp', 'latin1'), 4, 'MP4 (an ftyp box at byte 4)'),
			...checkRequests(requests, apiKey),
		],
	};
}

/** Every call to `path` was a POST with the bearer key; their count is `expected`. */
function checkCalls(requests: RecordedRequest[], path: string, apiKey: string, expected: number): string[] {
	const calls = requests.filter((r) => r.method === 'POST' && r.path === path);
	if (calls.length !== expected) return [`the TikHub server saw ${calls.length} POST ${path}, expected ${expected}`];
	return calls.filter((c) => c.authorization !== `Bearer ${apiKey}`).map((c) => `${path}: authorization header was "${c.authorization ?? ''}"`);
}

export const CASES: E2eCase[] = [
	{
		example: 'edit-image',
		majors: ['1', '2'],
		everyMode: true,
		check: ({ report, outDir, requests, apiKey }) => [
			...checkExecution(report),
			...checkNodeBinary(report, 'TikHub Image Edit'),
			...checkFileWritten(outDir),
			...checkEditRequest(requests, apiKey),
		],
	},
	{
		example: 'generate-and-edit',
		majors: ['2'],
		check: ({ report, outDir, requests, apiKey }) => [
			...checkExecution(report),
			...checkNodeBinary(report, 'TikHub Image Generate'),
			...checkNodeBinary(report, 'TikHub Image Edit'),
			...checkFileWritten(outDir),
			...checkGenerateRequest(requests, apiKey),
			...checkEditRequest(requests, apiKey),
		],
	},
	// Issue 14: the node waits for the task (one 10 s Poll Interval here) and writes the MP4.
	videoCase('image-to-video', checkVideoRequests),
	// Issue 21: Veo text-to-video; the stand-in answers the done operation with the MP4 inline (base64).
	videoCase(join(REPO, 'scripts', 'e2e', 'workflows', 'veo-text-to-video.workflow.json'), checkVeoRequests),
	// Issue 21: Sora image-to-video, the first frame sent as the multipart input_reference file.
	videoCase(join(REPO, 'scripts', 'e2e', 'workflows', 'sora-image-to-video.workflow.json'), checkSoraRequests, () => ({
		'frames/frame-1280x720.png': png(1280, 720),
	})),
	{
		// Issue 11: On Error = "Continue (using error output)" puts each failure on the error output.
		example: join(REPO, 'scripts', 'e2e', 'workflows', 'error-output.workflow.json'),
		majors: ['2'],
		files: () => ({
			'batch/a-photo.png': sample(),
			'batch/not-an-image.png': Buffer.from('this is text, not a picture'),
			'batch/too-big.png': sample(),
		}),
		check: ({ report, requests }) => {
			const success = nodeOutput(report, 'TikHub Image Edit', 0) ?? [];
			const errors = nodeOutput(report, 'TikHub Image Edit', 1) ?? [];
			const problems = checkExecution(report);
			if (success.length !== 1) problems.push(`${success.length} items on the success output, expected 1`);
			if (errors.length !== 2) problems.push(`${errors.length} items on the error output, expected 2`);
			if ((nodeOutput(report, 'Failed') ?? []).length !== 2) problems.push('the node after the error output did not get 2 items');
			const said = errors.map((item) => String(item.json?.error ?? '')).join(' / ');
			if (!/not a PNG, JPEG or WebP/.test(said) || !/TikHub error 400/.test(said)) {
				problems.push(`error items do not name the failures: ${said}`);
			}
			const edits = requests.filter((r) => r.path === '/v1/images/edits').length;
			if (edits !== 2) problems.push(`${edits} edit requests, expected 2 (the text file is caught locally)`);
			return problems;
		},
	},
	{
		// Issue 19: audio read from disk, transcribed as SRT, the subtitle file written.
		example: 'subtitles',
		majors: ['2'],
		files: () => ({ 'sample.wav': readFileSync(join(REPO, 'examples', 'sample.wav')) }),
		check: ({ report, outDir, requests, apiKey }) => {
			const problems = [
				...checkExecution(report),
				...checkNodeBinary(report, 'TikHub Audio', 'application/x-subrip'),
				...checkFileWritten(outDir, Buffer.from('1\n00:00:00,000 --> '), 0, 'SRT file'),
				...checkCalls(requests, '/v1/audio/transcriptions', apiKey, 1),
			];
			const call = requests.find((r) => r.path === '/v1/audio/transcriptions');
			const file = call?.files.find((f) => f.field === 'file');
			if (call?.parseError) problems.push(`multipart body did not parse: ${call.parseError}`);
			if (call && call.fields.response_format !== 'srt') problems.push(`response_format was "${call.fields.response_format}"`);
			if (call && (!file || file.fileName !== 'sample.wav' || file.bytes.toString('latin1', 8, 12) !== 'WAVE')) {
				problems.push(`no WAV file part "sample.wav" (parts: ${call.fieldNames.join(', ')}; ${file?.fileName}, ${file?.contentType})`);
			}
			return problems;
		},
	},
	{
		// Issue 19: five items, Batch Size 2: three requests, each item its own 8-number vector.
		example: join(REPO, 'scripts', 'e2e', 'workflows', 'embeddings.workflow.json'),
		majors: ['2'],
		files: () => Object.fromEntries(['a', 'b', 'c', 'd', 'e'].map((name) => [`texts/${name}.txt`, Buffer.from(name)])),
		check: ({ report, requests, apiKey }) => {
			const problems = [...checkExecution(report), ...checkCalls(requests, '/v1/embeddings', apiKey, 3)];
			const items = nodeOutput(report, 'TikHub Embeddings') ?? [];
			if (items.length !== 5) problems.push(`${items.length} items out of TikHub Embeddings, expected 5`);
			const sizes = items.map((item) => (Array.isArray(item.json?.embedding) ? item.json.embedding.length : 'none'));
			if (sizes.some((size) => size !== 8)) problems.push(`embedding lengths ${sizes.join(', ')}, expected 8 each`);
			const inputs = requests
				.filter((r) => r.path === '/v1/embeddings')
				.map((r) => ((r.json as { input?: string[] } | undefined)?.input ?? []).length);
			if (inputs.join(',') !== '2,2,1') problems.push(`batches of ${inputs.join(', ')}, expected 2, 2, 1`);
			return problems;
		},
	},
];
