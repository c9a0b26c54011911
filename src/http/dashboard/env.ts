import type { SignedIn } from '../../auth/dashboard-sessions.ts';
import type { HttpEnv } from '../env.ts';

/** What the dashboard's middleware sets for its pages: the CSP nonce and who is signed in. */
export interface DashboardEnv {
  Variables: HttpEnv['Variables'] & {
    nonce: string;
    signedIn?: SignedIn;
  };
}
