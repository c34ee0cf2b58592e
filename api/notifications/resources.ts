import type { NotificationRow } from '../../lib/notifications/notifications'
import type { SubscriptionRow } from '../../lib/notifications/subscriptions'
import { loadSuppliers } from '../../lib/reference/rows'
import type { ResourceDef } from '../jsonapi/document'

/** A notification sent (or still to send) to a subscription, with every delivery attempt. */
export const notificationResource: ResourceDef<NotificationRow> = {
  type: 'notifications',
  attributes: row => ({
    event_type: row.event_type,
    channel: row.channel,
    status: row.status,
    timestamp: row.event_at.toISOString(),
    delivered_at: row.delivered_at ? row.delivered_at.toISOString() : null,
    attempts: row.attempts.map(a => ({
      attempted_at: a.attempted_at.toISOString(),
      duration_ms: a.duration_ms,
      response_status: a.response_status,
      error: a.error,
    })),
  }),
  relationships: {
    move: { type: 'moves', ids: row => row.move_id },
    subscription: { type: 'subscriptions', ids: row => row.subscription_id },
  },
}

export const subscriptionResource: ResourceDef<SubscriptionRow> = {
  type: 'subscriptions',
  // The secret and the password never leave the database; whether they are set is all a reader learns.
  attributes: row => ({
    callback_url: row.callback_url,
    username: row.username,
    email_address: row.email_address,
    enabled: row.enabled,
    has_secret: row.secret_encrypted !== null,
    has_password: row.password_encrypted !== null,
    created_at: row.created_at.toISOString(),
    updated_at: row.updated_at.toISOString(),
  }),
  relationships: {
    supplier: { type: 'suppliers', ids: row => row.supplier_id, load: loadSuppliers },
  },
}
