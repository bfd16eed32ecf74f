/**
 * Which SQL database the server runs on. Its own module because the frozen
 * migrations need it and must not import connection.ts, which imports them.
 */
export type Dialect = 'sqlite' | 'postgres';
