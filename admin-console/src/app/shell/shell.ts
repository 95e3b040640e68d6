import { ChangeDetectionStrategy, Component, inject, signal } from '@angular/core';
import { MatButtonModule } from '@angular/material/button';
import { MatIconModule } from '@angular/material/icon';
import { MatListModule } from '@angular/material/list';
import { MatSidenavModule } from '@angular/material/sidenav';
import { MatToolbarModule } from '@angular/material/toolbar';
import { MatTooltipModule } from '@angular/material/tooltip';
import { RouterLink, RouterLinkActive, RouterOutlet } from '@angular/router';
import { AuthSession } from '@app/core/auth-session';
import { narrowScreen } from '@app/shared/narrow-screen';

const NAVIGATION = [
  { path: '/dashboard', label: 'Dashboard', icon: 'insights' },
  { path: '/users', label: 'Users', icon: 'group' },
  { path: '/usage', label: 'Usage', icon: 'receipt_long' },
  { path: '/models', label: 'Models & prices', icon: 'sell' },
  { path: '/channels', label: 'Channels', icon: 'hub' },
  { path: '/demo-lab', label: 'Demo lab', icon: 'science' },
] as const;

/** The signed-in frame: a side navigation (a drawer on narrow screens) and the toolbar. */
@Component({
  selector: 'cg-shell',
  imports: [
    MatButtonModule,
    MatIconModule,
    MatListModule,
    MatSidenavModule,
    MatToolbarModule,
    MatTooltipModule,
    RouterLink,
    RouterLinkActive,
    RouterOutlet,
  ],
  changeDetection: ChangeDetectionStrategy.OnPush,
  templateUrl: './shell.html',
  styleUrl: './shell.scss',
})
export class Shell {
  protected readonly session = inject(AuthSession);
  protected readonly navigation = NAVIGATION;
  protected readonly narrow = narrowScreen();
  protected readonly drawerOpen = signal(false);

  protected navigated(): void {
    if (this.narrow()) this.drawerOpen.set(false);
  }

  protected signOut(): void {
    this.session.signOut();
  }
}
