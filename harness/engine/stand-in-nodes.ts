import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { basename, dirname, extname } from 'node:path';
import type { Readable } from 'node:stream';

import type {
	IDataObject,
	IExecuteFunctions,
	INodeExecutionData,
	INodeProperties,
	INodeType,
	INodeTypeDescription,
} from 'n8n-workflow';

/**
 * Test-side nodes that feed the engine. Two stand in for n8n-nodes-base nodes (same type names
 * and the parameters our examples use, so an example workflow file runs here and imports into
 * n8n unchanged); one hands a test's own items to the next node. All of them store binary data
 * through n8n's helpers, so the binary data mode under test applies to them too.
 */

function describe(
	name: string,
	displayName: string,
	properties: INodeProperties[] = [],
): INodeTypeDescription {
	return {
		displayName,
		name,
		group: ['transform'],
		version: 1,
		description: `Test stand-in for ${displayName}`,
		defaults: { name: displayName },
		inputs: ['main'],
		outputs: ['main'],
		properties,
	} as unknown as INodeTypeDescription;
}

function text(name: string, fallback = ''): INodeProperties {
	return { displayName: name, name, type: 'string', default: fallback };
}

/** n8n-nodes-base.manualTrigger: starts the run with one empty item. */
export class ManualTrigger implements INodeType {
	description = describe('n8n-nodes-base.manualTrigger', 'Manual Trigger');

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		return [[{ json: {} }]];
	}
}

const MIME_BY_EXTENSION: Record<string, string> = {
	'.png': 'image/png',
	'.jpg': 'image/jpeg',
	'.jpeg': 'image/jpeg',
	'.webp': 'image/webp',
};

/** n8n-nodes-base.readWriteFile: the `read` (one path or a comma list) and `write` operations. */
export class ReadWriteFile implements INodeType {
	description = describe('n8n-nodes-base.readWriteFile', 'Read/Write Files from Disk', [
		text('operation', 'read'),
		text('fileSelector'),
		text('fileName'),
		text('dataPropertyName', 'data'),
		{
			displayName: 'Options',
			name: 'options',
			type: 'collection',
			default: {},
			options: [text('dataPropertyName', 'data')],
		},
	]);

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		const items = this.getInputData();
		const out: INodeExecutionData[] = [];
		for (let i = 0; i < items.length; i++) {
			const operation = this.getNodeParameter('operation', i, 'read') as string;
			if (operation === 'read') {
				const options = this.getNodeParameter('options', i, {}) as IDataObject;
				const property = (options.dataPropertyName as string) || 'data';
				const selector = this.getNodeParameter('fileSelector', i) as string;
				for (const path of selector.split(',').map((p) => p.trim())) {
					const bytes = readFileSync(path);
					const mimeType = MIME_BY_EXTENSION[extname(path).toLowerCase()] ?? 'application/octet-stream';
					const binary = await this.helpers.prepareBinaryData(bytes, basename(path), mimeType);
					out.push({ json: {}, binary: { [property]: binary }, pairedItem: { item: i } });
				}
			} else {
				const fileName = this.getNodeParameter('fileName', i) as string;
				const property = this.getNodeParameter('dataPropertyName', i, 'data') as string;
				const bytes = await this.helpers.getBinaryDataBuffer(i, property);
				mkdirSync(dirname(fileName), { recursive: true });
				writeFileSync(fileName, bytes);
				out.push({ json: { ...items[i].json, fileName }, binary: items[i].binary, pairedItem: { item: i } });
			}
		}
		return [out];
	}
}

/** n8n-nodes-base.convertToFile: the `toJson` operation (each item to its own file, or all to one). */
export class ConvertToFile implements INodeType {
	description = describe('n8n-nodes-base.convertToFile', 'Convert to File', [
		text('operation', 'toJson'),
		text('mode', 'once'),
		text('binaryPropertyName', 'data'),
		{
			displayName: 'Options',
			name: 'options',
			type: 'collection',
			default: {},
			options: [text('fileName'), { displayName: 'Format', name: 'format', type: 'boolean', default: false }],
		},
	]);

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		const items = this.getInputData();
		const file = async (json: unknown, i: number) => {
			const options = this.getNodeParameter('options', i, {}) as IDataObject;
			const bytes = Buffer.from(JSON.stringify(json, null, options.format ? 2 : undefined));
			const binary = await this.helpers.prepareBinaryData(bytes, (options.fileName as string) || 'file.json', 'application/json');
			return { [this.getNodeParameter('binaryPropertyName', i, 'data') as string]: binary };
		};
		if (this.getNodeParameter('mode', 0, 'once') === 'once') {
			const binary = await file(items.map((item) => item.json), 0);
			return [[{ json: {}, binary, pairedItem: items.map((_, item) => ({ item })) }]];
		}
		const out: INodeExecutionData[] = [];
		for (let i = 0; i < items.length; i++) out.push({ json: {}, binary: await file(items[i].json, i), pairedItem: { item: i } });
		return [out];
	}
}

export interface FixtureBinary {
	/** The file's bytes, or a stream of them (a large file need not be held in memory). */
	bytes: Buffer | Readable;
	fileName?: string;
	mimeType?: string;
}

export interface FixtureItem {
	json?: IDataObject;
	binary?: Record<string, FixtureBinary>;
}

const fixtures = new Map<string, FixtureItem[]>();
let nextFixture = 0;

/** Registers items for a `test.inputItems` node; returns the id to put in its parameters. */
export function registerFixture(items: FixtureItem[]): string {
	const id = `fixture-${nextFixture++}`;
	fixtures.set(id, items);
	return id;
}

/** test.inputItems: emits the items a test registered, binary stored the way n8n stores it. */
export class InputItems implements INodeType {
	description = describe('test.inputItems', 'Input Items', [text('fixture')]);

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		const id = this.getNodeParameter('fixture', 0) as string;
		const items = fixtures.get(id) ?? [];
		const out: INodeExecutionData[] = [];
		for (const item of items) {
			const binary: INodeExecutionData['binary'] = {};
			for (const [property, file] of Object.entries(item.binary ?? {})) {
				binary[property] = await this.helpers.prepareBinaryData(
					file.bytes,
					file.fileName,
					file.mimeType ?? 'application/octet-stream',
				);
			}
			out.push({ json: item.json ?? {}, ...(item.binary ? { binary } : {}) });
		}
		return [out];
	}
}
