/**
 * The AWS SDK warns on Node 20 that its releases after January 2027 will need
 * Node 22 (expected on this project's Node 20, see the toolchain notes). In a
 * terminal tool that paragraph on every run buries the output people came
 * for; every other warning is still printed.
 */
export function hideNodeVersionSupportWarning(): void {
  const defaultListeners = process.listeners('warning');
  process.removeAllListeners('warning');
  process.on('warning', (warning: Error) => {
    if (warning.name === 'NodeVersionSupportWarning' || warning.message.startsWith('NodeVersionSupportWarning')) return;
    for (const listener of defaultListeners) listener(warning);
    if (defaultListeners.length === 0) process.stderr.write(`${warning.name}: ${warning.message}\n`);
  });
}
