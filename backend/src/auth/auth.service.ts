import { Injectable } from '@nestjs/common';
import { PasswordHasher } from '#src/auth/password-hasher.js';
import { TokenService } from '#src/auth/token.service.js';
import { type UserWithCredits, UsersRepository } from '#src/auth/users.repository.js';
import { AuthErrors } from '#src/auth/auth.errors.js';
import type { AuthResponse, UserView } from '#src/contract/index.js';
import { SqlState, sqlStateOf } from '#src/database/sql-state.js';

@Injectable()
export class AuthService {
  constructor(
    private readonly users: UsersRepository,
    private readonly passwords: PasswordHasher,
    private readonly tokens: TokenService,
  ) {}

  async register(email: string, password: string): Promise<AuthResponse> {
    const passwordHash = await this.passwords.hash(password);
    let created;
    try {
      created = await this.users.create(email, passwordHash);
    } catch (error) {
      if (sqlStateOf(error) === SqlState.UniqueViolation) {
        throw AuthErrors.emailTaken();
      }
      throw error;
    }
    return this.session(created.id, await this.tokens.issueForLogin(created.id, created.role));
  }

  /** Unknown e-mail and wrong password get the same answer after the same work. */
  async login(email: string, password: string): Promise<AuthResponse> {
    const user = await this.users.findByEmail(email);
    const valid = user
      ? await this.passwords.verify(user.passwordHash, password)
      : await this.passwords.verifyAgainstNothing(password);
    if (!user || !valid) throw AuthErrors.badCredentials();
    if (user.disabled) throw AuthErrors.accountDisabled();
    return this.session(user.id, await this.tokens.issueForLogin(user.id, user.role));
  }

  async refresh(refreshToken: string): Promise<AuthResponse> {
    const rotation = await this.tokens.rotate(refreshToken);
    if (rotation.outcome !== 'rotated') throw AuthErrors.badRefreshToken();
    const user = await this.users.findWithCredits(rotation.userId);
    if (!user) throw AuthErrors.badRefreshToken();
    if (user.disabled) throw AuthErrors.accountDisabled();
    return {
      user: toView(user),
      ...(await this.tokens.issueInFamily(user.id, user.role, rotation.familyId)),
    };
  }

  /** Ends the session the refresh token belongs to; an unknown token is no error (idempotent). */
  async logout(refreshToken: string): Promise<void> {
    await this.tokens.revokeSession(refreshToken);
  }

  async me(userId: string): Promise<UserView> {
    const user = await this.users.findWithCredits(userId);
    if (!user) throw AuthErrors.accountGone();
    return toView(user);
  }

  private async session(userId: string, tokens: { accessToken: string; refreshToken: string }): Promise<AuthResponse> {
    return { user: await this.me(userId), ...tokens };
  }
}

function toView(user: UserWithCredits): UserView {
  return {
    id: user.id,
    email: user.email,
    role: user.role,
    credits: user.availableCredits,
    createdAt: user.createdAt.toISOString(),
  };
}
