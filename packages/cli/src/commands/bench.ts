export async function benchCommand(_args: readonly string[]): Promise<string> { return ""; }
