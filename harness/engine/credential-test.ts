import { OutboundHttp } from '@n8n/backend-network';
import { Container } from '@n8n/di';
import type { ICredentialDataDecryptedObject, ICredentialType, IHttpRequestOptions, INode, INodeTypes } from 'n8n-workflow';
import { Workflow } from 'n8n-workflow';

import { resolve, TestCredentialsHelper } from './credentials-helper';

/**
 * What n8n's "Test" button on a credential does for a type with a `test.request`: resolve the
 * request's expressions against the credential data, authenticate it with the type's own
 * `authenticate` block, and send it through n8n's HTTP client. Returns the status code.
 */
export async function testCredential(
	type: ICredentialType,
	data: ICredentialDataDecryptedObject,
): Promise<number> {
	const request = type.test?.request;
	if (!request) throw new Error(`${type.name} has no test request`);

	const node: INode = {
		id: 'credential-test',
		name: 'Credential Test',
		type: 'test.credentialTest',
		typeVersion: 1,
		position: [0, 0],
		parameters: {},
	};
	const workflow = new Workflow({
		nodes: [node],
		connections: {},
		active: false,
		nodeTypes: { getByName: () => undefined, getByNameAndVersion: () => undefined } as unknown as INodeTypes,
	});
	const helper = new TestCredentialsHelper(new Map([[type.name, type]]), { [type.name]: data });
	const credentials = await helper.getDecrypted(undefined, { id: '1', name: 'test' }, type.name);

	const options: IHttpRequestOptions = {
		method: request.method ?? 'GET',
		baseURL: request.baseURL ? resolve(request.baseURL, credentials, workflow, node) : undefined,
		url: resolve(request.url ?? '', credentials, workflow, node),
		returnFullResponse: true,
		ignoreHttpStatusErrors: true,
		json: true,
	};
	const authenticated = await helper.authenticate(credentials, type.name, options, workflow, node);
	const response = (await Container.get(OutboundHttp).requests().request(authenticated)) as {
		statusCode: number;
	};
	return response.statusCode;
}
