import type { INodeProperties } from 'n8n-workflow';

/**
 * A `model` field of type options: the models a node knows, and any other name typed by
 * expression (saved as a plain string, e.g. `"whisper-1"`).
 */
export function modelOptionsProperty(
	defaultValue: string,
	/** [shown name, model id, description] */
	models: Array<[string, string, string]>,
): INodeProperties {
	return {
		// API: model
		displayName: 'Model',
		name: 'model',
		type: 'options',
		options: models.map(([name, value, description]) => ({ name, value, description })),
		default: defaultValue,
		description:
			'The TikHub model to use. To use a model not listed here, switch this field to Expression and type its name.',
	};
}
