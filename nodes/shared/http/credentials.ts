import type {
	IAdditionalCredentialOptions,
	ICredentialDataDecryptedObject,
	IExecuteFunctions,
	ILoadOptionsFunctions,
	ISupplyDataFunctions,
} from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { redact } from './error-messages';
import { displayUrl } from './safe-url';

/** The TikHub API credential as every node reads it: trimmed, checked, and its key kept secret. */

export const TIKHUB_CREDENTIAL = 'tikHubApi';
export const DEFAULT_BASE_URL = 'https://ai.tikhub.io';

export interface TikHubCredentials {
	baseUrl: string;
	/** The key as saved and as sent (trimmed): both are masked in every message. */
	secrets: string[];
	/** The key as sent (trimmed), for a provider-native key header; never for a message. */
	apiKey: string;
	/**
	 * For n8n's authenticated request helper: the credential as read, so that the helper does
	 * not load and decrypt it from n8n's database again for every request (see sendAs).
	 */
	decrypted: ICredentialDataDecryptedObject;
}

/** Any node context that can read the credential: an item's execution, a model list, a sub-node. */
export type CredentialContext = IExecuteFunctions | ILoadOptionsFunctions | ISupplyDataFunctions;

/**
 * Read once per node run (per context object): n8n loads and decrypts a credential from its
 * database on every getCredentials, and a batch calls TikHub once per item (a video node once
 * per status check). The same read serves the base URL, the key to mask and, through sendAs,
 * n8n's authenticated request helper (as most n8n nodes read a credential once per run). A
 * read that failed is not kept: each item reports it with its own index.
 */
const readPerRun = new WeakMap<CredentialContext, Promise<TikHubCredentials>>();

/**
 * The credential's base URL and key, trimmed as the credential's `authenticate` trims the key.
 * An empty key or a base URL that is no http(s) URL fails here, naming the credential,
 * before anything is sent.
 */
export async function readCredentials(ctx: CredentialContext, itemIndex: number): Promise<TikHubCredentials> {
	const cached = readPerRun.get(ctx);
	if (cached) return await cached;
	const reading = readAndCheck(ctx, itemIndex);
	readPerRun.set(ctx, reading);
	reading.catch(() => {
		if (readPerRun.get(ctx) === reading) readPerRun.delete(ctx);
	});
	return await reading;
}

async function readAndCheck(ctx: CredentialContext, itemIndex: number): Promise<TikHubCredentials> {
	const credentials = await ctx.getCredentials<{ apiKey?: string; baseUrl?: string }>(
		TIKHUB_CREDENTIAL,
		itemIndex,
	);
	const rawKey = String(credentials.apiKey ?? '');
	const apiKey = rawKey.trim();
	if (apiKey === '') {
		throw new NodeOperationError(ctx.getNode(), 'The API key of the TikHub API credential is empty', {
			itemIndex,
			description: 'Open the TikHub API credential and paste your API key from the TikHub dashboard.',
		});
	}
	const baseUrl = (credentials.baseUrl || DEFAULT_BASE_URL).trim().replace(/\/+$/, '');
	if (!/^https?:\/\/[^/\s]+/i.test(baseUrl) || !URL.canParse(baseUrl)) {
		throw new NodeOperationError(
			ctx.getNode(),
			`The Base URL "${displayUrl(baseUrl)}" of the TikHub API credential is not an http(s) URL`,
			{
				itemIndex,
				description: `Open the TikHub API credential and set Base URL to a full URL with its scheme, e.g. ${DEFAULT_BASE_URL}.`,
			},
		);
	}
	return { baseUrl, secrets: [rawKey, apiKey], apiKey, decrypted: credentials as ICredentialDataDecryptedObject };
}

/**
 * The 4th argument of `httpRequestWithAuthentication` that hands it the credential this run
 * read: without it, n8n loads and decrypts the credential from its database for every request
 * (~13 ms of a request's set-up in n8n 2.41.1, and four requests that start together queue for
 * it). A copy, because n8n may merge a pre-authentication answer into what it is given.
 */
export function sendAs(credentials: TikHubCredentials): IAdditionalCredentialOptions {
	return {
		credentialsDecrypted: { id: '', name: TIKHUB_CREDENTIAL, type: TIKHUB_CREDENTIAL, data: { ...credentials.decrypted } },
	};
}

/** Masks the credential's key in a text built from a response (e.g. a message in a 200 body). */
export async function redactKey(ctx: IExecuteFunctions, itemIndex: number, text: string): Promise<string> {
	const { secrets } = await readCredentials(ctx, itemIndex);
	return redact(text, secrets);
}
