import CapSimCLI

CapsimCommand.main()
