export const createMove = () => undefined
