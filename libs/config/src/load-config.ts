import 'reflect-metadata';
import { plainToInstance } from 'class-transformer';
import { validateSync, type ValidationError } from 'class-validator';

/** Raised at boot when the environment does not describe a valid configuration; lists every problem. */
export class ConfigurationError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConfigurationError';
  }
}

type Env = Record<string, string | undefined>;

/**
 * Builds one configuration object from the environment and validates it with class-validator.
 * Every invalid variable is reported at once, so an operator fixes the whole environment in one pass.
 */
export function loadConfig<T extends object>(schema: new () => T, env: Env = process.env): T {
  const known = new Set(Object.keys(new schema()));
  const relevant: Env = {};
  for (const [key, value] of Object.entries(env)) {
    if (known.has(key) && value !== undefined && value !== '') relevant[key] = value;
  }
  const config = plainToInstance(schema, relevant, { exposeDefaultValues: true, enableImplicitConversion: false });
  const errors = validateSync(config, { whitelist: true, forbidUnknownValues: true });
  if (errors.length > 0) throw new ConfigurationError(errors.flatMap(describe));
  return config;
}

function describe(error: ValidationError): string[] {
  const messages = Object.values(error.constraints ?? {});
  const own = messages.length > 0 ? [`${error.property}: ${messages.join('; ')}`] : [];
  return [...own, ...(error.children ?? []).flatMap(describe)];
}
