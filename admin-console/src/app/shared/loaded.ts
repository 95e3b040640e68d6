import { computed, type Resource, type Signal } from '@angular/core';

/**
 * A resource's latest value, or undefined while it has none. Reading `value()` of a resource in
 * its error state throws, so templates read this instead and show the error from `error()`.
 */
export function loaded<T>(resource: Resource<T | undefined>): Signal<T | undefined> {
  return computed(() => (resource.hasValue() ? resource.value() : undefined));
}
