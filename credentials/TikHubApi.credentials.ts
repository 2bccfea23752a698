import type {
	IAuthenticateGeneric,
	Icon,
	ICredentialTestRequest,
	ICredentialType,
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

	authenticate: IAuthenticateGeneric = {
		type: 'generic',
		properties: {
			headers: {
				// Trimmed: a key pasted with a space or line break around it still works.
				Authorization: '=Bearer {{$credentials.apiKey.trim()}}',
			},
		},
	};

	// Listing models needs a valid key and costs no credits.
	test: ICredentialTestRequest = {
		request: {
			baseURL: '={{$credentials.baseUrl.trim().replace(/\\/+$/, "")}}',
			url: '/v1/models',
			method: 'GET',
		},
	};
}
