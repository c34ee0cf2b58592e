import { fail, loadDemoData, openDatabase } from './cli'

async function main(): Promise<void> {
  const command = process.argv[2]
  if (command !== 'migrate' && command !== 'seed') fail('usage: tsx scripts/db.ts migrate|seed')
  const db = await openDatabase()
  try {
    if (command === 'migrate') console.log('migrations are up to date')
    else console.log((await loadDemoData(db)) ? 'demo data loaded' : 'the database already has data; nothing loaded')
  } finally {
    await db.destroy()
  }
}

void main()
