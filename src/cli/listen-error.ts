/**
 * A server that cannot listen is a configuration problem (exit 2) naming the flag to change:
 * a port in use or not ours to take, an address this machine does not have or cannot resolve.
 */
import { ConfigError } from '../config/config-error.ts';

export async function listenOrConfigError<T>(
  start: () => Promise<T>,
  where: { host: string; port: number },
): Promise<T> {
  try {
    return await start();
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'EADDRINUSE')
      throw new ConfigError(`--port ${where.port} is already in use on ${where.host}`, { cause: err });
    if (code === 'EACCES')
      throw new ConfigError(`--port ${where.port} needs privileges this process lacks`, { cause: err });
    if (code === 'EADDRNOTAVAIL' || code === 'ENOTFOUND' || code === 'EAI_AGAIN')
      throw new ConfigError(`--host ${where.host} is not an address of this machine (${code})`, {
        cause: err,
      });
    throw err;
  }
}
