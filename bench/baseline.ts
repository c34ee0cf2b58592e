import http from 'node:http'
import pg from 'pg'

/**
 * The raw baseline: a bare node:http server that answers the same page of moves as
 * `GET /api/moves?filter[date_from]=F&filter[date_to]=T&include=profile.person,from_location,to_location`
 * with one hand-written statement and JSON.stringify: no framework, no auth, no validation.
 * `GET /moves?date_from=F&date_to=T&per_page=N&page=P`.
 */
// Idle connections are kept (node-postgres closes them after 10 s by default): the bench measures the service
// while this process waits, and ten PostgreSQL backends ending at once took both CPUs from it for up to 90 ms
// (the round-1 p99 at 150 req/s measured 98 to 211 ms where the other rounds measured 10 to 48).
const pool = new pg.Pool({ connectionString: process.env.DATABASE_URL, max: 10, idleTimeoutMillis: 0 })

// The page is chosen first (walking the date index in the list's order) and only its rows are joined and
// built; the total is counted beside it in the same statement.
const QUERY = `
  with page as (
    select m.* from moves m
    where m.date >= $1 and m.date <= $2 order by m.date desc nulls last, m.id desc limit $3 offset $4
  ), total as (
    select count(*) as total from moves m where m.date >= $1 and m.date <= $2
  )
  select m.id, m.reference, m.status, m.move_type, m.date::text as date, m.date_from::text as date_from,
         m.date_to::text as date_to, m.time_due, m.additional_information, m.move_agreed, m.move_agreed_by,
         m.cancellation_reason, m.cancellation_reason_comment, m.rejection_reason, m.is_lockout,
         m.created_at, m.updated_at, m.supplier_id, m.allocation_id, m.prison_transfer_reason_id,
         m.from_location_id, m.to_location_id, m.profile_id, pr.person_id, pr.assessment_answers,
         pe.first_names, pe.last_name, pe.date_of_birth::text as date_of_birth, pe.gender_additional_information,
         pe.prison_number, pe.criminal_records_office, pe.police_national_computer, pe.gender_id, pe.ethnicity_id,
         fl.key as from_key, fl.title as from_title, fl.location_type as from_type, fl.nomis_agency_id as from_agency,
         fl.can_upload_documents as from_uploads, fl.young_offender_institution as from_yoi,
         fl.extradition_capable as from_extradition, fl.disabled_at as from_disabled,
         tl.key as to_key, tl.title as to_title, tl.location_type as to_type, tl.nomis_agency_id as to_agency,
         tl.can_upload_documents as to_uploads, tl.young_offender_institution as to_yoi,
         tl.extradition_capable as to_extradition, tl.disabled_at as to_disabled,
         total.total
  from total
  left join page m on true
  left join profiles pr on pr.id = m.profile_id
  left join people pe on pe.id = pr.person_id
  left join locations fl on fl.id = m.from_location_id
  left join locations tl on tl.id = m.to_location_id
  order by m.date desc nulls last, m.id desc`

type Row = Record<string, unknown> & { id: string | null; total: number }

const relation = (type: string, id: unknown) => ({ data: id ? { type, id } : null })

function location(r: Row, end: 'from' | 'to') {
  return {
    type: 'locations',
    id: r[`${end}_location_id`],
    attributes: {
      key: r[`${end}_key`],
      title: r[`${end}_title`],
      location_type: r[`${end}_type`],
      nomis_agency_id: r[`${end}_agency`],
      can_upload_documents: r[`${end}_uploads`],
      young_offender_institution: r[`${end}_yoi`],
      extradition_capable: r[`${end}_extradition`],
      disabled_at: r[`${end}_disabled`],
    },
  }
}

function document(rows: Row[], size: number) {
  const included = new Map<string, unknown>()
  const data = rows
    .filter(r => r.id !== null)
    .map(r => {
      if (r.profile_id) {
        included.set(`profiles:${r.profile_id}`, {
          type: 'profiles',
          id: r.profile_id,
          attributes: { assessment_answers: r.assessment_answers },
          relationships: { person: relation('people', r.person_id) },
        })
        included.set(`people:${r.person_id}`, {
          type: 'people',
          id: r.person_id,
          attributes: {
            first_names: r.first_names,
            last_name: r.last_name,
            date_of_birth: r.date_of_birth,
            gender_additional_information: r.gender_additional_information,
            prison_number: r.prison_number,
            criminal_records_office: r.criminal_records_office,
            police_national_computer: r.police_national_computer,
          },
          relationships: {
            ethnicity: relation('ethnicities', r.ethnicity_id),
            gender: relation('genders', r.gender_id),
          },
        })
      }
      included.set(`locations:${r.from_location_id}`, location(r, 'from'))
      if (r.to_location_id) included.set(`locations:${r.to_location_id}`, location(r, 'to'))
      return {
        type: 'moves',
        id: r.id,
        attributes: {
          additional_information: r.additional_information,
          cancellation_reason: r.cancellation_reason,
          cancellation_reason_comment: r.cancellation_reason_comment,
          created_at: r.created_at,
          date: r.date,
          date_from: r.date_from,
          date_to: r.date_to,
          move_agreed: r.move_agreed,
          move_agreed_by: r.move_agreed_by,
          move_type: r.move_type,
          reference: r.reference,
          rejection_reason: r.rejection_reason,
          status: r.status,
          time_due: r.time_due,
          updated_at: r.updated_at,
          is_lockout: r.is_lockout,
        },
        relationships: {
          profile: relation('profiles', r.profile_id),
          from_location: relation('locations', r.from_location_id),
          to_location: relation('locations', r.to_location_id),
          supplier: relation('suppliers', r.supplier_id),
          prison_transfer_reason: relation('prison_transfer_reasons', r.prison_transfer_reason_id),
          allocation: relation('allocations', r.allocation_id),
        },
      }
    })
  const total = Number(rows[0]?.total ?? 0)
  return {
    data,
    included: [...included.values()],
    meta: { pagination: { per_page: size, total_pages: Math.ceil(total / size), total_objects: total } },
    jsonapi: { version: '1.1' },
  }
}

const server = http.createServer((req, res) => {
  const url = new URL(req.url ?? '/', 'http://localhost')
  const from = url.searchParams.get('date_from')
  const to = url.searchParams.get('date_to') ?? from
  const size = Number(url.searchParams.get('per_page') ?? 20)
  const page = Number(url.searchParams.get('page') ?? 1)
  if (url.pathname !== '/moves' || !from) {
    res.writeHead(404).end()
    return
  }
  pool.query<Row>(QUERY, [from, to, size, (page - 1) * size]).then(
    result => {
      res.writeHead(200, { 'Content-Type': 'application/vnd.api+json' })
      res.end(JSON.stringify(document(result.rows, size)))
    },
    (err: Error) => {
      res.writeHead(500).end(err.message)
    },
  )
})

server.listen(Number(process.env.PORT ?? 3100), '127.0.0.1')
const stop = () => server.close(() => void pool.end().then(() => process.exit(0)))
process.on('SIGTERM', stop)
process.on('SIGINT', stop)
