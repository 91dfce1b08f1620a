// The peer server bench/peers.sh measures Baygraph against: PostGraphile v5 (amber preset) with
// connection-filter, over the same PostgreSQL database Baygraph's loader wrote. Index behaviours
// are off so it may filter and order on unindexed columns, as Baygraph does. No IDE, no watch
// mode, production error handling. DATABASE_URL and PEER_PORT come from the environment.
import { PostGraphileAmberPreset } from "postgraphile/presets/amber";
import { PostGraphileConnectionFilterPreset } from "postgraphile-plugin-connection-filter";
import { makePgService } from "postgraphile/adaptors/pg";

/** @type {GraphileConfig.Preset} */
export default {
  extends: [PostGraphileAmberPreset, PostGraphileConnectionFilterPreset],
  disablePlugins: ["PgIndexBehaviorsPlugin"],
  pgServices: [
    makePgService({
      connectionString: process.env.DATABASE_URL,
      schemas: ["public"],
      // As many connections as the load generator opens, so the pool is never the limit.
      poolConfig: { max: 16 },
    }),
  ],
  grafserv: {
    host: "127.0.0.1",
    port: Number(process.env.PEER_PORT ?? 5678),
    graphiql: false,
    watch: false,
  },
  grafast: { explain: false },
};
