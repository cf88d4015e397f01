import { EventType } from "matrix-js-sdk";

/** Initial state that makes a room the bot creates end-to-end encrypted from its first event. */
export const ENCRYPTED_ROOM_STATE = { type: EventType.RoomEncryption, state_key: "", content: { algorithm: "m.megolm.v1.aes-sha2" } } as const;
