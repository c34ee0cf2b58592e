import { createCipheriv, createDecipheriv, createHmac, randomBytes } from 'node:crypto'
import fs from 'node:fs'
import path from 'node:path'
import type { Config } from '../config'

/**
 * Subscription secrets must sign every notification, so they are stored encrypted (AES-256-GCM),
 * not hashed. The key comes from SUBSCRIPTION_SECRET_KEY; only the embedded mode, which keeps its
 * data in a local directory anyway, generates one there on first use.
 */
export function subscriptionKey(config: Pick<Config, 'subscriptionSecretKey' | 'dataDir'>): Buffer {
  if (config.subscriptionSecretKey) return config.subscriptionSecretKey
  const file = path.join(config.dataDir, 'subscription-secret.key')
  if (!fs.existsSync(file)) {
    fs.mkdirSync(config.dataDir, { recursive: true })
    fs.writeFileSync(file, randomBytes(32).toString('hex'), { mode: 0o600, flag: 'wx' })
  }
  return Buffer.from(fs.readFileSync(file, 'utf8').trim(), 'hex')
}

export function encrypt(key: Buffer, plain: string): string {
  const iv = randomBytes(12)
  const cipher = createCipheriv('aes-256-gcm', key, iv)
  const ciphertext = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()])
  return [iv, cipher.getAuthTag(), ciphertext].map(b => b.toString('base64')).join('.')
}

export function decrypt(key: Buffer, stored: string): string {
  const [iv, tag, ciphertext] = stored.split('.').map(part => Buffer.from(part, 'base64'))
  const decipher = createDecipheriv('aes-256-gcm', key, iv!)
  decipher.setAuthTag(tag!)
  return Buffer.concat([decipher.update(ciphertext!), decipher.final()]).toString('utf8')
}

/** PECS-SIGNATURE: Base64 HMAC-SHA256 of the exact body bytes. */
export function sign(secret: string, body: string): string {
  return createHmac('sha256', secret).update(body).digest('base64')
}
