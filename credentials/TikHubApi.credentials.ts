import type {
	Icon,
	ICredentialDataDecryptedObject,
	ICredentialTestRequest,
	ICredentialType,
	IHttpRequestOptions,
	INodeProperties,
} from 'n8n-workflow';

/**
 * One credential for every TikHub AI endpoint (images, chat, embeddings, audio, video):
 * nodes build URLs from `baseUrl` and n8n adds the bearer header through `authenticate`.
 */
export class TikHubApi implements ICredentialType {
	name = 'tikHubApi';

	displayName = 'TikHub API';

	icon: Icon = {
		light: 'file:../icons/tikhub.svg',
		dark: 'file:../icons/tikhub.dark.svg',
	};

	documentationUrl = 'https://github.com/tikhub/n8n-nodes-tikhub#credentials';

	properties: INodeProperties[] = [
		{
			displayName: 'API Key',
			name: 'apiKey',
			type: 'string',
			typeOptions: { password: true },
			required: true,
			default: '',
			description: 'Your TikHub API key (from the TikHub dashboard). Sent as a Bearer token.',
		},
		{
			displayName: 'Base URL',
			name: 'baseUrl',
			type: 'string',
			default: 'https://ai.tikhub.io',
			description:
				'Root of the TikHub AI proxy. Change it only for a self-hosted gateway or a test server.',
		},
	];

	/**
	 * Adds `Authorization: Bearer <key>`, the key trimmed (a key pasted with a space or a line
	 * break around it still works). A function rather than a generic block with an expression:
	 * n8n would run its expression engine for that on every request (the first time in a
	 * process costs ~100 ms), as n8n's own OpenAI credential avoids too.
	 */
	async authenticate(credentials: ICredentialDataDecryptedObject, requestOptions: IHttpRequestOptions): Promise<IHttpRequestOptions> {
		return {
			...requestOptions,
			headers: { ...requestOptions.headers, Authorization: `Bearer ${String(credentials.apiKey ?? '').trim()}` },
		};
	}

	// Listing models needs a valid key and costs no credits.
	test: ICredentialTestRequest = {
		request: {
			baseURL: '={{$credentials.baseUrl.trim().replace(/\\/+$/, "")}}',
			url: '/v1/models',
			method: 'GET',
		},
	};
}
