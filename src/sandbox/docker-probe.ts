/**
 * Whether the Docker backend can run here: engine reachable, sandbox image present. The reason
 * text says what is wrong and what to do.
 */
import Docker from 'dockerode';

export type DockerProbe = { ok: true; docker: Docker; serverVersion: string; imageId: string } | { ok: false; reason: string; engineUp: boolean };

/** Pings the engine (bounded by `timeoutMs`) and looks up `image`. */
export async function probeDocker(image: string, timeoutMs = 3000): Promise<DockerProbe> {
  const docker = new Docker();
  let serverVersion = '';
  try {
    const version = await withTimeout(docker.version(), timeoutMs, 'the Docker engine did not answer');
    serverVersion = version.Version;
  } catch (error) {
    return { ok: false, engineUp: false, reason: engineProblem(error) };
  }
  try {
    const info = await docker.getImage(image).inspect();
    return { ok: true, docker, serverVersion, imageId: info.Id };
  } catch (error) {
    if ((error as { statusCode?: number }).statusCode === 404) {
      return {
        ok: false,
        engineUp: true,
        reason:
          `the sandbox image '${image}' is missing: run \`assist sandbox build\` (builds it offline from Debian packages) or \`assist sandbox ` +
          `build --from-tar FILE\``,
      };
    }
    return { ok: false, engineUp: true, reason: `could not look up the sandbox image '${image}': ${(error as Error).message}` };
  }
}

function engineProblem(error: unknown): string {
  const code = (error as NodeJS.ErrnoException).code;
  const socket = process.env.DOCKER_HOST ?? '/var/run/docker.sock';
  if (code === 'ENOENT' || code === 'ECONNREFUSED') {
    return (
      `Docker is not running (nothing at ${socket}): install it (apt-get install docker.io) and start the engine (sudo systemctl start docker, ` +
      `or run dockerd)`
    );
  }
  if (code === 'EACCES')
    return `no permission to use Docker at ${socket}: add your user to the docker group (sudo usermod -aG docker $USER, then log in again)`;
  return `Docker is not usable: ${(error as Error).message}`;
}

function withTimeout<T>(promise: Promise<T>, ms: number, message: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${message} within ${ms} ms`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}
