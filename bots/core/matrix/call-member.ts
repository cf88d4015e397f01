/**
 * MatrixRTC call membership (MSC3401/MSC4143), the state event Element Call sends for each
 * member's device joining or leaving a room's call. Rooms the bots create let every member
 * send it (and nothing else of the state): it carries no content, only call mechanics.
 */
export const CALL_MEMBER_STATE = "org.matrix.msc3401.call.member";
