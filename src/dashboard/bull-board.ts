/** Bull Board (the BullMQ web UI) for our queue(s), as an Express router mounted at `basePath`. */
import { createBullBoard } from '@bull-board/api';
import { BullMQAdapter } from '@bull-board/api/bullMQAdapter';
import { ExpressAdapter } from '@bull-board/express';
import type { Queue } from 'bullmq';
import type { Router } from 'express';

export function bullBoardRouter(queues: readonly Queue[], basePath: string, readOnly: boolean): Router {
  const serverAdapter = new ExpressAdapter();
  serverAdapter.setBasePath(basePath);
  createBullBoard({
    queues: queues.map((q) => new BullMQAdapter(q, { readOnlyMode: readOnly })),
    serverAdapter,
    options: { uiConfig: { boardTitle: 'puffle-sync' } },
  });
  return serverAdapter.getRouter() as Router;
}
