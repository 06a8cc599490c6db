// drizzle-kit sees only a schema file's top-level table exports: this file spreads the default
// `puffle` instance of src/load/schema.ts into them (drizzle-kit's loader compiles the .ts it requires).
const { puffle } = require('../schema.ts');

module.exports = { ...puffle.streams, ...puffle.bookkeeping, puffleSchema: puffle.pgSchema };
