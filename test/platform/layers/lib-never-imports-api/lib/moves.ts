import { baseUrl } from '../api/context'

export const link = baseUrl
