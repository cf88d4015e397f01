/** A Matrix user id (@local:server). Typed so a room id or a display name is never passed by mistake. */
export type UserId = string & { readonly __brand: "UserId" };

const USER_ID = /^@[a-z0-9._=\-/+]+:[a-zA-Z0-9.\-]+(:\d+)?$/;

export function isUserId(value: string): value is UserId {
  return USER_ID.test(value);
}

export function userId(value: string): UserId {
  if (!isUserId(value)) throw new Error(`not a Matrix user id: ${value}`);
  return value;
}
