import { provideHttpClient, withFetch, withInterceptors } from '@angular/common/http';
import {
  type ApplicationConfig,
  inject,
  provideAppInitializer,
  provideBrowserGlobalErrorListeners,
  provideZonelessChangeDetection,
} from '@angular/core';
import { provideNativeDateAdapter } from '@angular/material/core';
import { MatIconRegistry } from '@angular/material/icon';
import { provideRouter, withComponentInputBinding } from '@angular/router';
import { apiInterceptor } from '@app/core/api.interceptor';
import { AuthSession } from '@app/core/auth-session';
import { routes } from '@app/app.routes';

export const appConfig: ApplicationConfig = {
  providers: [
    provideBrowserGlobalErrorListeners(),
    provideZonelessChangeDetection(),
    provideRouter(routes, withComponentInputBinding()),
    provideHttpClient(withFetch(), withInterceptors([apiInterceptor])),
    provideNativeDateAdapter(),
    provideAppInitializer(() => {
      // The icon font is bundled (material-icons, outlined), never fetched from a CDN.
      inject(MatIconRegistry).setDefaultFontSetClass('material-icons-outlined');
      // A reloaded tab resumes its session before the first route is guarded.
      return inject(AuthSession).restore();
    }),
  ],
};
