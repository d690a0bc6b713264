// Types for scripts/code-samples.mjs, so the TypeScript tests can call it.
export interface SampleExample {
  key: string;
  summary: string;
  description: string;
  value: unknown;
}
export interface SampleOperation {
  operationId: string;
  /** The URL path, e.g. /voice/recallFlow/update. */
  path: string;
  pathFile: string;
  /** The folder name under spec/code_samples/<language>/, e.g. voice_recallFlow_update. */
  dir: string;
  examples: SampleExample[];
}
export interface SampleLanguage {
  lang: string;
  dir: string;
  ext: string;
  prefix: string;
}
export declare const WIDTH: number;
export declare const MOCK_URL: string;
export declare const PRODUCTION_URL: string;
export declare const SHORT_NAMES: Record<string, string>;
export declare const LANGUAGES: SampleLanguage[];
export declare function labelOf(language: SampleLanguage, exampleKey: string): string;
export declare function operations(): SampleOperation[];
export declare function typescriptSample(operation: SampleOperation, example: SampleExample): string;
export declare function curlSample(operation: SampleOperation, example: SampleExample): string;
export declare function codeSamplesBlock(operation: SampleOperation): string;
export declare function expectedFiles(): Map<string, string>;
export declare function differences(): { expected: Map<string, string>; changed: string[]; stray: string[] };
