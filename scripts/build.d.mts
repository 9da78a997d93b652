// Types of scripts/build.mjs for the TypeScript that imports it (tests, bench).
export const ROOT: string;
export function digest(root: string, inputs: string[]): string;
export function hasSources(root?: string): boolean;
export function buildServer(root?: string, wanted?: string): Promise<void>;
export function buildWeb(root?: string, wanted?: string): void;
export function ensureServerBuilt(root?: string, log?: (message: string) => void): Promise<boolean>;
export function ensureWebBuilt(root?: string, log?: (message: string) => void): boolean;
