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
];
