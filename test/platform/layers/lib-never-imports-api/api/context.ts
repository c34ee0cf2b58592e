export const baseUrl = 'http://localhost'
