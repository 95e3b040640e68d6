import { ChangeDetectionStrategy, Component, computed, inject, signal } from '@angular/core';
import { toSignal } from '@angular/core/rxjs-interop';
import { MatButtonModule } from '@angular/material/button';
import { MatIconModule } from '@angular/material/icon';
import { MatListModule } from '@angular/material/list';
import { MatSidenavModule } from '@angular/material/sidenav';
import { MatToolbarModule } from '@angular/material/toolbar';
import { MatTooltipModule } from '@angular/material/tooltip';
import { NavigationEnd, Router, RouterLink, RouterLinkActive, RouterOutlet } from '@angular/router';
import { filter, map } from 'rxjs';
import { ACCOUNT_HOME, ADMIN_HOME } from '@app/core/admin.guard';
import { AuthSession } from '@app/core/auth-session';
import { narrowScreen } from '@app/shared/narrow-screen';

const NAVIGATION = [
  { path: '/dashboard', label: 'Dashboard', icon: 'insights' },
  { path: '/users', label: 'Users', icon: 'group' },
  { path: '/redemption-codes', label: 'Redemption codes', icon: 'redeem' },
  { path: '/credit-packages', label: 'Credit packages', icon: 'shopping_bag' },
  { path: '/usage', label: 'Usage', icon: 'receipt_long' },
  { path: '/models', label: 'Models & prices', icon: 'sell' },
  { path: '/channels', label: 'Channels', icon: 'hub' },
  { path: '/webhooks', label: 'Webhooks', icon: 'webhook' },
  { path: '/demo-lab', label: 'Demo lab', icon: 'science' },
] as const;

/** A user's own pages, under /account (every role has them; docs/console.md). */
const ACCOUNT_NAVIGATION = [
  { path: ACCOUNT_HOME, label: 'Overview', icon: 'account_balance_wallet', exact: true },
  { path: `${ACCOUNT_HOME}/usage`, label: 'Usage', icon: 'receipt_long', exact: false },
  { path: `${ACCOUNT_HOME}/ledger`, label: 'Ledger', icon: 'account_balance', exact: false },
  { path: `${ACCOUNT_HOME}/keys`, label: 'API keys', icon: 'key', exact: false },
  { path: `${ACCOUNT_HOME}/top-up`, label: 'Top up', icon: 'add_card', exact: false },
] as const;

/**
 * The signed-in frame: a side navigation (a drawer on narrow screens) and the toolbar. Users see their
 * own pages; admins see the admin pages and switch to their own (and back) from the toolbar — which
 * view shows follows the URL, so a link or a reload keeps it.
 */
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
  private readonly url = toSignal(
    inject(Router).events.pipe(
      filter((event) => event instanceof NavigationEnd),
      map((event) => event.urlAfterRedirects),
    ),
    { initialValue: inject(Router).url },
  );
  /** The user's own pages are showing (always, for a user). */
  protected readonly accountView = computed(() => !this.session.isAdmin() || /^\/account(?:[/?#]|$)/.test(this.url()));
  protected readonly navigation = computed(() =>
    this.accountView() ? ACCOUNT_NAVIGATION : NAVIGATION.map((item) => ({ ...item, exact: false })),
  );
  protected readonly adminHome = ADMIN_HOME;
  protected readonly accountHome = ACCOUNT_HOME;
  protected readonly narrow = narrowScreen();
  protected readonly drawerOpen = signal(false);

  protected navigated(): void {
    if (this.narrow()) this.drawerOpen.set(false);
  }

  protected signOut(): void {
    this.session.signOut();
  }
}
