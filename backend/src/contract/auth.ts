import type { Role } from './roles.js';

/** A user as the API shows it (`GET /api/me`, auth responses). `credits` is the available amount. */
export interface UserView {
  id: string;
  email: string;
  role: Role;
  credits: number;
  createdAt: string;
}

export interface AuthResponse {
  user: UserView;
  accessToken: string;
  refreshToken: string;
}

export const PASSWORD_MIN_LENGTH = 8;
export const PASSWORD_MAX_LENGTH = 128;
