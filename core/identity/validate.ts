// zod rules for identity requests; the first problem becomes INVALID_ARGUMENT naming the field.
import { z } from 'zod';
import { CadenceError, Code } from '../../lib/errors.ts';

const required = (what: string) => z.string().min(1, `${what} is required`);

export const email = required('email')
  .max(254, 'email is longer than 254 characters')
  .pipe(z.email('email is not a valid address'))
  .transform((e) => e.toLowerCase());
export const deviceId = required('deviceId').regex(/^[A-Za-z0-9._:-]{1,128}$/, 'deviceId must be 1-128 characters of [A-Za-z0-9._:-]');
export const newPassword = required('password')
  .min(10, 'password must be at least 10 characters')
  .max(256, 'password is longer than 256 characters')
  // Ten spaces pass a length rule but are no secret at all.
  .refine((p) => /\S/u.test(p), 'password must not be only whitespace');
export const password = required('password').max(256, 'password is longer than 256 characters');
export const mpin = (length: number) => required('mpin').regex(new RegExp(`^[0-9]{${length}}$`), `mpin must be exactly ${length} digits`);
export const accessToken = required('accessToken').max(4096, 'accessToken is longer than 4096 characters');
export const refreshToken = required('refreshToken').max(512, 'refreshToken is longer than 512 characters');

/** Parses `input` or throws INVALID_ARGUMENT with the dotted path of the first bad field. */
export function parse<T extends z.ZodType>(schema: T, input: unknown): z.infer<T> {
  const result = schema.safeParse(input);
  if (result.success) return result.data;
  const issue = result.error.issues[0]!;
  throw new CadenceError(Code.INVALID_ARGUMENT, issue.message, issue.path.map(String).join('.') || undefined);
}
