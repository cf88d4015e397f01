export { isUserId, type UserId, userId } from "../../core/matrix-ids.ts";
/** The identifier of one SNP request. */
export type RequestId = string & { readonly __brand: "SnpRequestId" };

export function requestId(value: string): RequestId {
  if (value.trim() === "") throw new Error("empty SNP request id");
  return value as RequestId;
}
