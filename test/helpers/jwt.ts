/** The claims of a LiveKit token, read without checking its signature (tests inspect what the service minted). */
export interface LiveKitClaims {
  sub: string;
  nbf: number;
  exp: number;
  video: Record<string, unknown> & { room?: string };
}

export function jwtDecode(jwt: string): LiveKitClaims {
  const payload = jwt.split(".")[1];
  if (!payload) throw new Error("not a JWT");
  return JSON.parse(Buffer.from(payload, "base64url").toString("utf8")) as LiveKitClaims;
}
