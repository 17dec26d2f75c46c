import type { FieldError } from '@/lib/schemas';

/** The problems of a refused form, each naming its field. */
export function FieldErrors({ errors, error }: { errors: FieldError[]; error: string | null }) {
  if (errors.length === 0 && !error) return null;
  return (
    <div className="problems" role="alert">
      <p className="problem">Nothing was saved:</p>
      <ul>
        {error && <li>{error}</li>}
        {errors.map((e, i) => (
          <li key={i}>
            <strong>{e.path}</strong>: {e.message}
          </li>
        ))}
      </ul>
    </div>
  );
}

/** The error of one field, for aria-describedby. */
export function errorFor(errors: FieldError[], path: string): string | undefined {
  return errors.find((e) => e.path === path)?.message;
}
