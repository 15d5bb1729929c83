// Who is signed in: the admin key sees everything; a client's key (read, operate, manage) its own bots.

export const session = { signedIn: false, me: null };

const roles = ['read', 'operate', 'manage', 'admin'];

/** Whether the signed-in key's role is at least `role` (the API refuses the rest anyway). */
export const can = role => !!session.me && roles.indexOf(session.me.role) >= roles.indexOf(role);
