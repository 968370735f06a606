// electron-builder's beforePack hook. The package ships keytar's prebuilt binary for the packaging machine's OS (the
// `files` filter in electron-builder.yml uses ${platform}, which is that machine's): a package for another OS would carry
// a keytar that cannot load there, and passwords could not be kept. Each OS is packaged on its own (see
// .github/workflows/desktop.yml), so anything else is refused here, before a wrong package exists.
'use strict';

exports.default = async function beforePack(context) {
  const target = context.electronPlatformName;
  if (target !== process.platform) {
    throw new Error(
      `ICWS Companion packages for ${target} are built on ${target}: this machine runs ${process.platform}, whose keytar binary would be shipped. Package on a ${target} machine (the desktop workflow does).`,
    );
  }
};
