import type { CompanionError, ErrorKind, Result } from '../../preload/contract';

/** JSON-RPC 2.0 framing of the contract: results as `result`, `CompanionError`s as `error.data`. */
export const RPC = {
  parseError: -32700,
  invalidRequest: -32600,
  methodNotFound: -32601,
  invalidParams: -32602,
  application: -32000,
} as const;

export type RpcId = string | number | null;

export interface RpcRequest {
  jsonrpc: '2.0';
  id?: RpcId;
  method: string;
  params?: unknown;
}

interface RpcErrorObject {
  code: number;
  message: string;
  data: CompanionError;
}

export type RpcResponse = { jsonrpc: '2.0'; id: RpcId; result: unknown } | { jsonrpc: '2.0'; id: RpcId; error: RpcErrorObject };

export function rpcError(id: RpcId, code: number, kind: ErrorKind, message: string): RpcResponse {
  return { jsonrpc: '2.0', id, error: { code, message, data: { kind, message } } };
}

export function rpcResponse(id: RpcId, result: Result<unknown>, methodKnown: boolean): RpcResponse {
  if (result.ok) return { jsonrpc: '2.0', id, result: result.value };
  const code = !methodKnown ? RPC.methodNotFound : result.error.kind === 'invalidInput' ? RPC.invalidParams : RPC.application;
  return { jsonrpc: '2.0', id, error: { code, message: result.error.message, data: result.error } };
}

export function rpcNotification(method: string, params: unknown): string {
  return JSON.stringify({ jsonrpc: '2.0', method, params });
}

/** Checks the envelope only; the dispatcher checks method and params against the contract. */
export function readRequest(value: unknown): { ok: true; request: RpcRequest } | { ok: false; id: RpcId; message: string } {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    return { ok: false, id: null, message: 'A JSON-RPC request must be an object.' };
  }
  const candidate = value as Record<string, unknown>;
  const id = candidate.id;
  const validId = id === undefined || id === null || typeof id === 'string' || (typeof id === 'number' && Number.isFinite(id));
  const safeId: RpcId = validId && id !== undefined ? (id as RpcId) : null;
  if (candidate.jsonrpc !== '2.0') return { ok: false, id: safeId, message: 'The request must say "jsonrpc": "2.0".' };
  if (!validId) return { ok: false, id: null, message: 'The request id must be a string, a number or null.' };
  if (typeof candidate.method !== 'string' || candidate.method.length === 0) {
    return { ok: false, id: safeId, message: 'The request must name a method.' };
  }
  if (candidate.params !== undefined && (candidate.params === null || typeof candidate.params !== 'object')) {
    return { ok: false, id: safeId, message: 'The request params must be an object.' };
  }
  return { ok: true, request: candidate as unknown as RpcRequest };
}
