// The channel on which `npm start`'s server processes tell each other what each must
// know (scripts/cluster.mjs passes such a message from one process to all the others).
// Plain JavaScript, so that the cluster's primary, which runs without the build, reads it.
export const BROADCAST = 'sourced:broadcast';
