// Jest loads CommonJS; a few maintained packages now ship ES modules only (otplib's crypto and base32 plugins,
// openid-client and the libraries under it). Node 20 loads them itself (require of ES modules); under Jest they
// are turned into CommonJS with the TypeScript compiler the project already has.
const ts = require('typescript');

module.exports = {
  process(source, filename) {
    const { outputText } = ts.transpileModule(source, {
      fileName: filename,
      compilerOptions: {
        module: ts.ModuleKind.CommonJS,
        target: ts.ScriptTarget.ES2022,
        allowJs: true,
        esModuleInterop: true,
      },
    });
    return { code: outputText };
  },
};
