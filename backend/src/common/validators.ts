import { Transform } from 'class-transformer';
import { isEmail, registerDecorator, ValidateIf, type ValidationOptions } from 'class-validator';

/**
 * What PostgreSQL `text` cannot hold: U+0000 (it refuses it, SQLSTATE 22021) and a UTF-16 surrogate
 * that is not half of a pair (JSON allows `"\ud800"`; UTF-8 has no encoding for it). In a `u` regex
 * `\p{Cs}` matches only unpaired surrogates: a pair is read as the one code point it encodes.
 */
// eslint-disable-next-line no-control-regex -- U+0000 is precisely the character looked for.
const unstorable = /\u0000|\p{Cs}/u;
const everyUnstorable = new RegExp(unstorable.source, 'gu');

/** True when `text` holds nothing PostgreSQL `text` would refuse or alter. */
export function isStorableText(text: string): boolean {
  return !unstorable.test(text);
}

/**
 * Labels people type (key names, reasons) keep whatever Unicode they arrive with (docs/billing.md), except
 * what `text` cannot hold: that is stored as U+FFFD, the replacement character, which is also what
 * any UTF-8 encoder makes of an unpaired surrogate. A label is read by people, never compared.
 */
export function toStorableText(text: string): string {
  return text.replace(everyUnstorable, '\uFFFD');
}

/** A label stored as text: trimmed, with what `text` cannot hold replaced (see `toStorableText`). */
export const StoredLabel = (): PropertyDecorator =>
  Transform(({ value }: { value: unknown }) => (typeof value === 'string' ? toStorableText(value.trim()) : value));

/**
 * For identifiers and search strings, which are compared rather than shown: U+0000 or an unpaired
 * surrogate is refused with 400, since no stored value could ever match it.
 */
export function IsStorableText(options?: ValidationOptions): PropertyDecorator {
  return (target, propertyName) => {
    registerDecorator({
      name: 'isStorableText',
      target: target.constructor,
      propertyName: propertyName as string,
      options: { message: '$property must not contain U+0000 or an unpaired surrogate', ...options },
      validator: { validate: (value: unknown) => typeof value !== 'string' || isStorableText(value) },
    });
  };
}

/**
 * An e-mail address. validator's `isEmail` throws on an unpaired surrogate (it runs `encodeURI`),
 * which would turn a bad address into a 500; such a string is simply not an address.
 */
export function IsEmailAddress(options?: ValidationOptions): PropertyDecorator {
  return (target, propertyName) => {
    registerDecorator({
      name: 'isEmailAddress',
      target: target.constructor,
      propertyName: propertyName as string,
      options: { message: '$property must be an e-mail address', ...options },
      validator: {
        validate: (value: unknown) => typeof value === 'string' && isStorableText(value) && isEmail(value),
      },
    });
  };
}

/**
 * A finite number with at most `places` decimal places, as a `numeric(…, places)` column holds it.
 * class-validator's `maxDecimalPlaces` reads the digits from `toString()` and throws on exponent
 * forms such as `1e-7`; scaling and rounding answers for every finite number.
 */
export function IsDecimal(places: number, options?: ValidationOptions): PropertyDecorator {
  const scale = 10 ** places;
  return (target, propertyName) => {
    registerDecorator({
      name: 'isDecimal',
      target: target.constructor,
      propertyName: propertyName as string,
      constraints: [places],
      options: { message: `$property must be a number with at most ${places} decimal places`, ...options },
      validator: {
        validate: (value: unknown) =>
          typeof value === 'number' &&
          Number.isFinite(value) &&
          (Number.isInteger(value) || Math.round(value * scale) / scale === value),
      },
    });
  };
}

/**
 * May be left out, but never `null`: class-validator's `@IsOptional()` also skips the checks for
 * `null`, which then reaches code that expects a value. (OpenAPI still shows the field as optional:
 * the document takes that from the `?` of the property.)
 */
export const OptionalNotNull = (): PropertyDecorator =>
  ValidateIf((_object: object, value: unknown) => value !== undefined);

/** `null` means "not given", as OpenAI's schema declares for its nullable request fields. */
export const NullMeansAbsent = (): PropertyDecorator =>
  Transform(({ value }: { value: unknown }) => (value === null ? undefined : value));

/**
 * RFC 3339 as people write it: a date (midnight UTC), or a date and time with `Z` or an offset (a
 * time without one is UTC). Deliberately narrower than ISO 8601, whose week dates (`2026-W01-1`),
 * ordinal dates and reduced forms (`2026-01`) class-validator accepts and PostgreSQL does not read.
 */
const rfc3339 = /^(\d{4})-(\d{2})-(\d{2})(?:[Tt ](\d{2}):(\d{2})(?::(\d{2})(?:\.\d{1,9})?)?([Zz]|[+-]\d{2}:\d{2})?)?$/;
const canonicalInstant = /^(\d{4})-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;

/** The instant as `toISOString()` writes it, or undefined when `text` is not one (30 February, 25:00). */
export function canonicalTimestamp(text: string): string | undefined {
  const match = rfc3339.exec(text);
  if (match === null) return undefined;
  const [, year, month, day, hour = '00', minute = '00', second = '00', zone] = match;
  // The written fields must name a real date and time; Date would roll 30 February over to March.
  const calendar = new Date(0);
  calendar.setUTCFullYear(Number(year), Number(month) - 1, Number(day));
  calendar.setUTCHours(Number(hour), Number(minute), Number(second));
  const exact =
    calendar.getUTCFullYear() === Number(year) &&
    calendar.getUTCMonth() === Number(month) - 1 &&
    calendar.getUTCDate() === Number(day) &&
    calendar.getUTCHours() === Number(hour) &&
    calendar.getUTCMinutes() === Number(minute) &&
    calendar.getUTCSeconds() === Number(second);
  if (!exact) return undefined;
  const normalised = text.replace(' ', 'T').toUpperCase();
  const instant = new Date(
    zone === undefined ? `${normalised.length === 10 ? `${normalised}T00:00` : normalised}Z` : normalised,
  );
  if (Number.isNaN(instant.getTime())) return undefined;
  const iso = instant.toISOString();
  // Years 1–9999 once in UTC: what PostgreSQL's timestamptz reads back the same way.
  const canonicalYear = canonicalInstant.exec(iso)?.[1];
  return canonicalYear !== undefined && Number(canonicalYear) >= 1 ? iso : undefined;
}

/**
 * A point in time given as RFC 3339 (see `rfc3339`), handed on as `toISOString()` writes it, so the
 * service and PostgreSQL read the same instant.
 */
export function IsTimestamp(options?: ValidationOptions): PropertyDecorator {
  return (target, propertyName) => {
    Transform(({ value }: { value: unknown }) =>
      typeof value === 'string' ? (canonicalTimestamp(value) ?? value) : value,
    )(target, propertyName);
    registerDecorator({
      name: 'isTimestamp',
      target: target.constructor,
      propertyName: propertyName as string,
      options: {
        message: '$property must be a date (2026-01-31) or a date and time (2026-01-31T09:30:00Z, with Z or an offset)',
        ...options,
      },
      validator: { validate: (value: unknown) => typeof value === 'string' && canonicalInstant.test(value) },
    });
  };
}
