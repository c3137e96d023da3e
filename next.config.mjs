/** @type {import('next').NextConfig} */
const nextConfig = {
  // PGlite ships a WebAssembly build of Postgres and its data files; bundling breaks their paths,
  // so the server loads it from node_modules. The XML and JSON stream parsers are plain Node code
  // that gains nothing from bundling.
  serverExternalPackages: ['@electric-sql/pglite', 'postgres', 'pino', 'saxes', 'stream-json', 'busboy'],
  poweredByHeader: false,
};

export default nextConfig;
