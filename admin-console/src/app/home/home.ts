import { ChangeDetectionStrategy, Component } from '@angular/core';
import { MatCardModule } from '@angular/material/card';
import { ErrorCode } from '@creditgate/contract';

/** Landing page until the console's features arrive (issue #7). */
@Component({
  selector: 'cg-home',
  imports: [MatCardModule],
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `
    <mat-card appearance="outlined">
      <mat-card-header><mat-card-title>Welcome</mat-card-title></mat-card-header>
      <mat-card-content>
        <p>Sign-in, the dashboard, users and recharges, usage, prices and the demo lab arrive with issue #7.</p>
        <p class="contract">API contract: {{ errorCodeCount }} error codes shared with the backend.</p>
      </mat-card-content>
    </mat-card>
  `,
})
export class Home {
  protected readonly errorCodeCount = Object.keys(ErrorCode).length;
}
