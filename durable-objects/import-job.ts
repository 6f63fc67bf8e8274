// One object per import batch: the live progress of that job, pushed to WebSocket watchers.
import { DurableObject } from "cloudflare:workers";

export class ImportJob extends DurableObject<Env> {}
