import { ChangeDetectionStrategy, Component, inject, input, model, signal } from '@angular/core';
import { toObservable, toSignal } from '@angular/core/rxjs-interop';
import { MatAutocompleteModule, type MatAutocompleteSelectedEvent } from '@angular/material/autocomplete';
import { MatButtonModule } from '@angular/material/button';
import { MatFormFieldModule } from '@angular/material/form-field';
import { MatIconModule } from '@angular/material/icon';
import { MatInputModule } from '@angular/material/input';
import type { AdminUserItem } from '@creditgate/contract';
import { catchError, debounceTime, distinctUntilChanged, of, switchMap } from 'rxjs';
import { AdminApi } from '@app/core/admin-api';

export type PickedUser = Pick<AdminUserItem, 'id' | 'email'>;

const MIN_SEARCH_LENGTH = 2;

/** Finds a user by part of their e-mail; shows the pick as a removable pill. */
@Component({
  selector: 'cg-user-picker',
  imports: [MatAutocompleteModule, MatButtonModule, MatFormFieldModule, MatIconModule, MatInputModule],
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `
    @if (user(); as picked) {
      <div class="picked">
        <span class="pill" data-testid="picked-user">{{ label() }}: {{ picked.email }}</span>
        <button mat-icon-button type="button" [attr.aria-label]="'Clear ' + label()" (click)="user.set(null)">
          <mat-icon>close</mat-icon>
        </button>
      </div>
    } @else {
      <mat-form-field subscriptSizing="dynamic" class="field">
        <mat-label>{{ label() }}</mat-label>
        <input
          matInput
          placeholder="Type part of an e-mail"
          data-testid="user-picker"
          [matAutocomplete]="options"
          [value]="text()"
          (input)="text.set($any($event.target).value)"
        />
        <mat-autocomplete #options="matAutocomplete" (optionSelected)="pick($event)">
          @for (option of matches(); track option.id) {
            <mat-option [value]="option">{{ option.email }}</mat-option>
          }
        </mat-autocomplete>
      </mat-form-field>
    }
  `,
  styles: `
    :host {
      display: inline-block;
    }
    .picked {
      display: flex;
      align-items: center;
    }
    .field {
      width: 100%;
    }
  `,
})
export class UserPicker {
  private readonly api = inject(AdminApi);

  readonly user = model<PickedUser | null>(null);
  readonly label = input('User');

  protected readonly text = signal('');
  protected readonly matches = toSignal(
    toObservable(this.text).pipe(
      debounceTime(250),
      distinctUntilChanged(),
      switchMap((text) =>
        text.trim().length < MIN_SEARCH_LENGTH
          ? of([])
          : this.api.searchUsers(text.trim()).pipe(catchError(() => of([]))),
      ),
    ),
    { initialValue: [] },
  );

  protected pick(event: MatAutocompleteSelectedEvent): void {
    const picked = event.option.value as AdminUserItem;
    this.user.set({ id: picked.id, email: picked.email });
    this.text.set('');
  }
}
