import PgBoss from 'pg-boss'
import type { Db, Tx } from '../../db/client'
import type { Logger } from '../log'

/**
 * A durable queue with retries and a dead-letter queue, on pg-boss. pg-boss talks to the database
 * through our knex connections (its custom `db` adapter), which is what lets it run on the
 * embedded single-connection PGlite as on PostgreSQL, and lets a message be sent inside the
 * caller's transaction: it is enqueued if and only if the change commits.
 */

export type QueuePolicy = {
  /** Retries after the first attempt before the message goes to the dead-letter queue. */
  retryLimit: number
  retryDelaySeconds: number
  /** Doubles the delay on each retry (pg-boss adds jitter). */
  retryBackoff: boolean
}

/** Which delivery of a message this is: retryCount of retryLimit retries used so far. */
export type JobInfo = { id: string; retryCount: number; retryLimit: number }

export type QueueDefinition<T> = QueuePolicy & {
  name: string
  handle: (data: T, job: JobInfo) => Promise<void>
}

export type DeadLetter = { id: string; data: unknown; createdOn: string }

type RawConnection = {
  query(text: string, values?: unknown[]): Promise<{ rows: unknown[] }>
  exec?(text: string): Promise<{ rows: unknown[] }[]>
}

/** pg-boss's executeSql over a knex transaction or the pool: the SQL runs on the same connection knex uses. */
function executor(db: Tx) {
  return {
    executeSql: async (text: string, values: unknown[] = []) => {
      const connection = (await db.client.acquireConnection()) as RawConnection
      try {
        // PGlite's extended protocol takes one statement; pg-boss sends its schema as a script, without values.
        if (values.length === 0 && connection.exec) {
          const results = await connection.exec(text)
          return results[results.length - 1] ?? { rows: [] }
        }
        return await connection.query(text, values)
      } finally {
        await db.client.releaseConnection(connection)
      }
    },
  }
}

type DeadLetterRow = { id: string; data: unknown; created_on: Date | string }

function toDeadLetter(row: DeadLetterRow): DeadLetter {
  return { id: row.id, data: row.data, createdOn: new Date(row.created_on).toISOString() }
}

export const deadLetterQueue = (name: string) => `${name}-dlq`

/**
 * Thrown by a handler for a message that can never succeed (an unknown type, an invalid payload):
 * retrying cannot help, so the message goes to the dead-letter queue at once. The message says
 * why, and is logged, so it must carry no personal details.
 */
export class UndeliverableMessage extends Error {}

/** A queue's depths as hmpps-sqs reports them on /health: waiting, being handled, and dead-lettered. */
export type QueueDepth = {
  queueName: string
  messagesOnQueue: number
  messagesInFlight: number
  dlqName: string
  messagesOnDlq: number
}

export class Queue {
  private readonly boss: PgBoss
  private readonly definitions = new Map<string, QueueDefinition<never>>()
  private started: Promise<void> | undefined

  constructor(
    private readonly db: Db,
    private readonly options: {
      schema: string
      log: Logger
      supervise: boolean
      pollingIntervalSeconds?: number
    },
  ) {
    this.boss = new PgBoss({
      db: executor(db),
      schema: options.schema,
      supervise: options.supervise,
      schedule: false,
      migrate: true,
    } as PgBoss.ConstructorOptions)
    this.boss.on('error', err => options.log.error({ err }, 'queue error'))
  }

  /** Creates pg-boss's schema (once) and the queues defined so far, each with its dead-letter queue. */
  async start(): Promise<void> {
    this.started ??= (async () => {
      await this.boss.start()
    })()
    await this.started
    for (const definition of this.definitions.values()) await this.createQueue(definition)
  }

  private async createQueue(definition: QueuePolicy & { name: string }): Promise<void> {
    const dlq = deadLetterQueue(definition.name)
    const policy = {
      retryLimit: definition.retryLimit,
      retryDelay: definition.retryDelaySeconds,
      retryBackoff: definition.retryBackoff,
      deadLetter: dlq,
    }
    if (!(await this.boss.getQueue(dlq))) await this.boss.createQueue(dlq, { name: dlq, retryLimit: 0 })
    if (await this.boss.getQueue(definition.name))
      await this.boss.updateQueue(definition.name, { name: definition.name, ...policy })
    else await this.boss.createQueue(definition.name, { name: definition.name, ...policy })
  }

  define<T>(definition: QueueDefinition<T>): void {
    this.definitions.set(definition.name, definition as QueueDefinition<never>)
  }

  has(name: string): boolean {
    return this.definitions.has(name)
  }

  /** The names of the defined queues (not their dead-letter queues). */
  names(): string[] {
    return [...this.definitions.keys()]
  }

  /** The queue whose dead-letter queue is `dlq`, if it is one of ours. */
  queueOfDeadLetterQueue(dlq: string): string | undefined {
    return this.names().find(name => deadLetterQueue(name) === dlq)
  }

  /** Counts from pg-boss's getQueueSize: created and retry are waiting, active is in flight. */
  async depth(name: string): Promise<QueueDepth> {
    this.definition(name)
    const waiting = (await this.boss.getQueueSize(name)) ?? 0
    const notDone = (await this.boss.getQueueSize(name, { before: 'completed' })) ?? 0
    const dlqName = deadLetterQueue(name)
    return {
      queueName: name,
      messagesOnQueue: waiting,
      messagesInFlight: notDone - waiting,
      dlqName,
      messagesOnDlq: (await this.boss.getQueueSize(dlqName)) ?? 0,
    }
  }

  private definition(name: string): QueueDefinition<never> {
    const definition = this.definitions.get(name)
    if (!definition) throw new Error(`queue ${name} is not defined`)
    return definition
  }

  /** Enqueues a message within `tx`: it becomes visible to workers when, and only if, tx commits. */
  async send(tx: Tx, name: string, data: object): Promise<string> {
    this.definition(name)
    if (!this.started) throw new Error('the queue must be started before sending')
    const id = await this.boss.send(name, data, { db: executor(tx) } as PgBoss.SendOptions)
    if (!id) throw new Error(`queue ${name} refused the message`)
    return id
  }

  /** Starts polling every defined queue; a handler that throws makes pg-boss retry, then dead-letter. */
  async work(): Promise<void> {
    await this.start()
    for (const definition of this.definitions.values()) {
      let workerId = ''
      workerId = await this.boss.work(
        definition.name,
        { batchSize: 1, pollingIntervalSeconds: this.options.pollingIntervalSeconds ?? 2, includeMetadata: true },
        async jobs => {
          for (const job of jobs) {
            const info = { id: job.id, retryCount: job.retryCount, retryLimit: job.retryLimit }
            try {
              await definition.handle(job.data as never, info)
            } catch (err) {
              if (!(err instanceof UndeliverableMessage)) {
                this.logFailure(definition.name, info, err)
                throw err
              }
              await this.boss.send(deadLetterQueue(definition.name), job.data as object)
              this.options.log.warn(
                {
                  queue: definition.name,
                  messageId: job.id,
                  reason: err.message,
                  dlq: deadLetterQueue(definition.name),
                },
                'message can never be processed: dead-lettered without retries',
              )
            }
          }
          // pg-boss sleeps a whole polling interval after every fetch; while there is work, fetch
          // again at once, so a backlog drains at handler speed, not one message per interval.
          if (workerId) this.boss.notifyWorker(workerId)
        },
      )
    }
  }

  /**
   * One line per failed delivery: the queue, the message id, which attempt it was and what comes next,
   * and the reason (the error's message: our handlers name ids, never a person's details).
   */
  private logFailure(queue: string, job: JobInfo, err: unknown): void {
    const deadLettered = job.retryCount >= job.retryLimit
    this.options.log.warn(
      {
        queue,
        messageId: job.id,
        attempt: job.retryCount + 1,
        retryLimit: job.retryLimit,
        reason: err instanceof Error ? err.message : String(err),
        ...(deadLettered ? { dlq: deadLetterQueue(queue) } : {}),
      },
      deadLettered ? 'message dead-lettered' : 'message failed; it will be retried',
    )
  }

  /** A message's state: created, retry, active, completed, failed (pg-boss's states), or null once archived away. */
  async state(name: string, id: string): Promise<string | null> {
    const job = await this.boss.getJobById(name, id, { includeArchive: true } as never)
    return job?.state ?? null
  }

  /** The oldest `limit` dead letters of the queue, read through `db` (a caller's transaction) when given. */
  async deadLetters(name: string, limit = 100, db: Tx = this.db): Promise<DeadLetter[]> {
    this.definition(name)
    const { rows } = (await executor(db).executeSql(
      `SELECT id, data, created_on FROM ${this.options.schema}.job WHERE name = $1 AND state = 'created' ORDER BY created_on, id LIMIT $2`,
      [deadLetterQueue(name), limit],
    )) as { rows: DeadLetterRow[] }
    return rows.map(toDeadLetter)
  }

  private async deadLettersById(tx: Tx, name: string, ids: string[]): Promise<DeadLetter[]> {
    const { rows } = (await executor(tx).executeSql(
      `SELECT id, data, created_on FROM ${this.options.schema}.job WHERE name = $1 AND state = 'created' AND id = ANY($2::uuid[])`,
      [deadLetterQueue(name), ids],
    )) as { rows: DeadLetterRow[] }
    return rows.map(toDeadLetter)
  }

  /**
   * Moves dead letters (all, or the given ids) back to their queue, with a fresh set of retries, in
   * the caller's transaction: a message is either moved or left where it was.
   */
  async retryDeadLetters(tx: Tx, name: string, ids?: string[]): Promise<number> {
    this.definition(name)
    const letters = ids ? await this.deadLettersById(tx, name, ids) : await this.deadLetters(name, 1000, tx)
    if (letters.length === 0) return 0
    for (const letter of letters) {
      await this.boss.send(name, letter.data as object, { db: executor(tx) } as PgBoss.SendOptions)
    }
    await this.boss.deleteJob(
      deadLetterQueue(name),
      letters.map(l => l.id),
      { db: executor(tx) } as PgBoss.ConnectionOptions,
    )
    return letters.length
  }

  /**
   * Moves every message of the queue's dead-letter queue back to the queue with fresh retries, through
   * pg-boss's fetch, send and deleteJob in the caller's transaction: a message is either moved or left
   * where it was.
   */
  async redriveDeadLetters(tx: Tx, name: string): Promise<{ id: string; data: unknown }[]> {
    this.definition(name)
    const dlq = deadLetterQueue(name)
    const options = { db: executor(tx) }
    const moved: { id: string; data: unknown }[] = []
    for (;;) {
      const jobs = await this.boss.fetch(dlq, { batchSize: 100, ...options } as PgBoss.FetchOptions)
      if (jobs.length === 0) return moved
      for (const job of jobs) await this.boss.send(name, job.data as object, options as PgBoss.SendOptions)
      await this.boss.deleteJob(
        dlq,
        jobs.map(job => job.id),
        options as PgBoss.ConnectionOptions,
      )
      moved.push(...jobs.map(job => ({ id: job.id, data: job.data })))
    }
  }

  /**
   * Deletes the waiting messages of a queue or dead-letter queue of ours, in the caller's
   * transaction; answers how many there were. The statement is pg-boss's purgeQueue (every job not
   * yet active), run through `tx` because pg-boss's own would take a second connection.
   */
  async purge(tx: Tx, queueOrDlq: string): Promise<number> {
    const { rows } = await executor(tx).executeSql(
      `DELETE FROM ${this.options.schema}.job WHERE name = $1 AND state < 'active' RETURNING id`,
      [queueOrDlq],
    )
    return rows.length
  }

  async purgeDeadLetters(tx: Tx, name: string): Promise<number> {
    this.definition(name)
    return this.purge(tx, deadLetterQueue(name))
  }

  /** Stops the workers taking messages and waits up to `timeoutMs` for those being handled. */
  async stop(timeoutMs = 5000): Promise<void> {
    if (!this.started) return
    await this.boss.stop({ graceful: true, wait: true, close: false, timeout: timeoutMs } as PgBoss.StopOptions)
  }
}
