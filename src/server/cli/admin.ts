/**
 * Operator CLI: `npm run admin -- <command>`, for the people who run the
 * server. Works on the database the environment names (DATABASE_URL or the
 * SQLite file), so operators manage accounts without any default password
 * ever existing. `npm run admin -- <command> --help` explains a command.
 *
 * The process is never ended with process.exit: that drops whatever a pipe
 * has not taken yet (a report piped to jq was cut at 64 KiB). The exit code
 * is set and Node exits once standard output has drained.
 */
import { runAdmin } from './run';

// A reader that stops early (`| head`) closes the pipe: not an error of the command.
process.stdout.on('error', (err: NodeJS.ErrnoException) => {
  if (err.code !== 'EPIPE') throw err;
});

runAdmin(process.argv.slice(2), { stdout: process.stdout, stderr: process.stderr }).then(
  (code) => {
    process.exitCode = code;
  },
  (err: unknown) => {
    console.error(err instanceof Error ? err.message : err);
    process.exitCode = 1;
  },
);
