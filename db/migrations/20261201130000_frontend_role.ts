import type { Knex } from 'knex'

/**
 * `/api` now needs a supplier's client or the `frontend` role (issue #13, item 2), and a client made
 * with neither a supplier nor a role is given that role. Clients made that way before keep the rights
 * they had: they get the role here.
 */
export async function up(knex: Knex): Promise<void> {
  await knex('api_clients')
    .whereNull('supplier_id')
    .whereRaw('cardinality(roles) = 0')
    .update({ roles: knex.raw(`array['frontend']::text[]`) })
}

export async function down(knex: Knex): Promise<void> {
  await knex('api_clients').update({ roles: knex.raw(`array_remove(roles, 'frontend')`) })
}
