// The HTTP face of the MatrixRTC authorisation service, the API of Element's lk-jwt-service
// that Element Call (Web and X) speaks: POST /sfu/get (legacy) and POST /get_token (MSC4195),
// both answering { url, jwt }; errors are Matrix-style { errcode, error }.
import express, { type Express, type Request, type Response } from "express";
import { z } from "zod";
import type { Logger } from "../core/logger.ts";
import { authoriseCall, type AuthorisationPorts, type CallAccessRequest } from "./authorise.ts";
import { legacyLiveKitIdentity, liveKitIdentityFor, liveKitRoomFor } from "./livekit-names.ts";

const OpenIdTokenSchema = z.object({
  access_token: z.string().min(1).max(1024),
  matrix_server_name: z.string().min(1).max(255),
  token_type: z.string().optional(),
  expires_in: z.number().optional(),
});
const RoomId = z.string().regex(/^![^\s]{1,254}$/, "a Matrix room ID");
const DeviceId = z.string().min(1).max(255);

// Delayed-leave delegation (delay_id…) is accepted and ignored: the clients' own delayed
// events (Synapse's max_event_delay_duration) end a membership when a client vanishes.
const delayFields = { delay_id: z.string().optional(), delay_timeout: z.number().optional(), delay_cs_api_url: z.string().optional() };

const LegacyRequestSchema = z.object({ room: RoomId, openid_token: OpenIdTokenSchema, device_id: DeviceId, ...delayFields });
const TokenRequestSchema = z.object({
  room_id: RoomId,
  slot_id: z.string().min(1).max(255),
  openid_token: OpenIdTokenSchema,
  member: z.object({ id: z.string().min(1).max(255), claimed_user_id: z.string().min(1).max(255), claimed_device_id: DeviceId }),
  ...delayFields,
});

export interface RtcAuthHttpSettings {
  readonly serverName: string;
  readonly liveKitUrl: string;
}

export function rtcAuthApp(settings: RtcAuthHttpSettings, ports: AuthorisationPorts, logger: Logger): Express {
  const app = express();
  app.disable("x-powered-by");
  // Element Web calls it from its own origin; only POST with a JSON body, no cookies.
  app.use((req, res, next) => {
    res.set({
      "access-control-allow-origin": "*",
      "access-control-allow-methods": "POST",
      "access-control-allow-headers": "Accept, Content-Type, Content-Length, Accept-Encoding",
      "cache-control": "no-store",
    });
    if (req.method === "OPTIONS") res.status(200).end();
    else next();
  });
  app.use(express.json({ limit: "16kb" }));
  app.get("/healthz", (_req, res) => res.json({ ready: true }));

  const serve = async (req: Request, res: Response, request: CallAccessRequest | undefined): Promise<void> => {
    if (!request) {
      res.status(400).json({ errcode: "M_BAD_JSON", error: "The request body is not a MatrixRTC token request." });
      return;
    }
    try {
      const decision = await authoriseCall(request, settings.serverName, ports);
      if (decision.kind === "refused") {
        logger.warn({ path: req.path, roomId: request.roomId, userId: decision.userId, status: decision.status, reason: decision.reason }, "call access refused");
        res.status(decision.status).json({ errcode: decision.errcode, error: decision.error });
        return;
      }
      logger.info({ path: req.path, roomId: request.roomId, userId: decision.userId, liveKitRoom: request.liveKitRoom }, "call access granted");
      res.json({ url: settings.liveKitUrl, jwt: decision.jwt });
    } catch (err) {
      logger.error({ path: req.path, roomId: request.roomId, err: (err as Error).message }, "call access could not be decided");
      res.status(503).json({ errcode: "M_UNKNOWN", error: "The call service is unavailable, try again shortly." });
    }
  };

  app.post("/sfu/get", (req, res) => {
    const parsed = LegacyRequestSchema.safeParse(req.body);
    const body = parsed.data;
    void serve(
      req,
      res,
      body && {
        roomId: body.room,
        liveKitRoom: liveKitRoomFor(body.room),
        openIdToken: body.openid_token,
        identityOf: (userId) => legacyLiveKitIdentity(userId, body.device_id),
      },
    );
  });

  app.post("/get_token", (req, res) => {
    const parsed = TokenRequestSchema.safeParse(req.body);
    const body = parsed.data;
    void serve(
      req,
      res,
      body && {
        roomId: body.room_id,
        liveKitRoom: liveKitRoomFor(body.room_id, body.slot_id),
        openIdToken: body.openid_token,
        claimedUserId: body.member.claimed_user_id,
        identityOf: (userId) => liveKitIdentityFor(userId, body.member.claimed_device_id, body.member.id),
      },
    );
  });
  return app;
}
